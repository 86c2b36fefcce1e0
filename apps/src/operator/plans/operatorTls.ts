// The TLS credential of the operator component's own HTTPS services in the development stack: a P-256 key and a
// web server certificate for localhost / 127.0.0.1, issued once by the development CI (which every LPA of the
// stack already trusts for TLS) and kept under <data>/operator/tls (key 0600). A deployed operator uses a
// certificate from a public web CA instead.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, issueWebServerCertificate, serialNumberFromRandom, toPem, writePrivateKeyFile, type PkiEntity } from '@zkesim/pki';

export interface OperatorTls {
  readonly certificatePath: string;
  readonly keyPath: string;
}

const VALIDITY_MS = 2 * 365 * 86_400_000;

export function ensureOperatorTls(operatorDir: string, ci: PkiEntity, now: Date = new Date()): OperatorTls {
  const dir = join(operatorDir, 'tls');
  const tls = { certificatePath: join(dir, 'server.cert.pem'), keyPath: join(dir, 'server.key.pem') };
  if (existsSync(tls.certificatePath) && existsSync(tls.keyPath)) return tls;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = generateKeyPair('P-256');
  const certificate = issueWebServerCertificate({
    ci: { certificate: ci.certificate, signer: ci.signer },
    serialNumber: serialNumberFromRandom(new Uint8Array(randomBytes(16))),
    notBefore: now,
    notAfter: new Date(now.getTime() + VALIDITY_MS),
    publicKey: keys.publicKey,
    organization: 'zkesim demo operator',
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  writePrivateKeyFile(tls.keyPath, keys.privateKey, { overwrite: true });
  writeFileSync(tls.certificatePath, toPem(certificate.der, 'CERTIFICATE'), { mode: 0o644 });
  return tls;
}
