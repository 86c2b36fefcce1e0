// Start-up checks of a validated SM-DP+ configuration that need the file system; each failure names the key.
import { smdpConfigError, type SmdpConfig } from './config.js';

/**
 * Every certificate, key and CRL file the configuration names must exist; checked at start-up so that a
 * missing `npx zkesim pki init` is reported with the key, not as a bare ENOENT later.
 */
export function checkConfigFiles(config: SmdpConfig, exists: (path: string) => boolean): void {
  const files: [string, string | undefined][] = [
    ...config.es9.flatMap((e, i): [string, string][] => [
      [`es9[${i}].tlsCertificate`, e.tlsCertificate],
      [`es9[${i}].tlsKey`, e.tlsKey],
      ...(e.tlsChain ?? []).map((p, j): [string, string] => [`es9[${i}].tlsChain[${j}]`, p]),
    ]),
    ...config.credentials.flatMap((c, i): [string, string | undefined][] =>
      (['ciCertificate', 'dpAuthCertificate', 'dpAuthKey', 'dpPbCertificate', 'dpPbKey'] as const).map((k) => [`credentials[${i}].${k}`, c[k]]),
    ),
    ...config.crls.map((p, i): [string, string] => [`crls[${i}]`, p]),
    ['es2.tlsCertificate', config.es2.tlsCertificate],
    ['es2.tlsKey', config.es2.tlsKey],
    ['es2.clientCertificate', config.es2.clientCertificate],
    ['es2.clientKey', config.es2.clientKey],
    ...config.es2.callbackCa.map((p, i): [string, string] => [`es2.callbackCa[${i}]`, p]),
    ...config.es2.operators.map((o, i): [string, string | undefined] => [`es2.operators[${i}].caCertificate`, o.caCertificate]),
    ...config.es2.operators.flatMap((o, i) => (o.pinnedCertificates ?? []).map((p, j): [string, string] => [`es2.operators[${i}].pinnedCertificates[${j}]`, p])),
    ...config.es2.operators.flatMap((o, i) => (o.pinnedIssuers ?? []).map((p, j): [string, string] => [`es2.operators[${i}].pinnedIssuers[${j}]`, p])),
  ];
  for (const [key, path] of files) {
    if (path !== undefined && !exists(path)) {
      throw smdpConfigError(config, key, `file not found: ${path} (for the development defaults run \`npx zkesim pki init --dir data/pki\`)`);
    }
  }
}
