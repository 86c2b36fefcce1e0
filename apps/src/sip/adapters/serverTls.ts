// TLS credentials of the SIP side: the ZK verifier's (Kamailio's http_client verifies it, peer and host, against the
// stack's CI, as the LPA verifies the SM-DP+) and Kamailio's own for SIP over TLS. Each a key of its own and a
// certificate for 127.0.0.1, localhost and any extra names under the development CI; created once, key file 0600.
// SPEC-AMBIGUITY: pki issues only RSP certificate profiles; these certificates use the SM-DS TLS profile (EKU
// serverAuth, SAN dNSName/iPAddress) with the development SM-DS OID, which no RSP client is asked to accept from
// them: only Kamailio and SIP devices connect to them.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { developmentOids, issueDsTlsCertificate, serialNumberFromRandom, toPem, type PkiEntity } from '@zkesim/pki';

export interface TlsFiles {
  certificate: string;
  key: string;
}

const DAY_MS = 86_400_000;

/** `<dir>/<name>.cert.pem` and `.key.pem`, issued by `ci` for `commonName` when missing. */
export function ensureServerTls(dir: string, ci: PkiEntity, server: { name: string; commonName: string; dnsNames?: readonly string[] }, now = new Date()): TlsFiles {
  const files = { certificate: join(dir, `${server.name}.cert.pem`), key: join(dir, `${server.name}.key.pem`) };
  if (existsSync(files.certificate) && existsSync(files.key)) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certificate = issueDsTlsCertificate({
    ci: { certificate: ci.certificate, signer: ci.signer },
    organization: 'zkesim',
    commonName: server.commonName,
    registeredId: developmentOids.smds,
    dnsNames: ['localhost', ...(server.dnsNames ?? [])],
    ipAddresses: ['127.0.0.1'],
    serialNumber: serialNumberFromRandom(randomBytes(16)),
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
    publicKey: keys.publicKey,
  });
  writeFileSync(files.key, keys.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(files.certificate, toPem(certificate.der, 'CERTIFICATE'));
  return files;
}
