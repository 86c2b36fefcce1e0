// The TLS credential of a web service of the development stack that is not an RSP server (the operator
// component's HTTPS services, the SIP side's ZK verifier and Kamailio's SIP over TLS): a P-256 key and a plain web
// server certificate (EKU serverAuth, no RSP role, no registeredID, so no eUICC or LPA takes it for an SM-DP+ or
// SM-DS) for localhost, 127.0.0.1 and any extra names, issued once by the development CI, which the stack's
// clients already trust. `<dir>/<name>.cert.pem` and `<dir>/<name>.key.pem` (key 0600, folder 0700). A deployed
// operator uses certificates from its own or a public web CA instead.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, issueWebServerCertificate, serialNumberFromRandom, toPem, writePrivateKeyFile, type PkiEntity } from '@zkesim/pki';

export interface WebServerTls {
  readonly certificate: string;
  readonly key: string;
}

export interface WebServerName {
  /** File name stem under the folder. */
  readonly name: string;
  readonly commonName: string;
  readonly organization?: string;
  readonly dnsNames?: readonly string[];
}

const DAY_MS = 86_400_000;
const VALIDITY_MS = 2 * 365 * DAY_MS;

/** The credential's files, issued by `ci` when either is missing. */
export function ensureWebServerTls(dir: string, ci: PkiEntity, server: WebServerName, now: Date = new Date()): WebServerTls {
  const files = { certificate: join(dir, `${server.name}.cert.pem`), key: join(dir, `${server.name}.key.pem`) };
  if (existsSync(files.certificate) && existsSync(files.key)) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = generateKeyPair('P-256');
  const certificate = issueWebServerCertificate({
    ci: { certificate: ci.certificate, signer: ci.signer },
    serialNumber: serialNumberFromRandom(new Uint8Array(randomBytes(16))),
    // A day back, so a client whose clock is a little behind still accepts a certificate made a moment ago.
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + VALIDITY_MS),
    publicKey: keys.publicKey,
    organization: server.organization ?? 'zkesim',
    commonName: server.commonName,
    dnsNames: ['localhost', ...(server.dnsNames ?? [])],
    ipAddresses: ['127.0.0.1'],
  });
  writePrivateKeyFile(files.key, keys.privateKey, { overwrite: true });
  writeFileSync(files.certificate, toPem(certificate.der, 'CERTIFICATE'), { mode: 0o644 });
  return files;
}
