// The SIP verifier's TLS credential: a key of its own and a certificate for 127.0.0.1 and localhost under the
// stack's development CI, so Kamailio's http_client verifies the verifier (peer and host) against the CI's
// certificate, as the LPA verifies the SM-DP+. Created once under <dir>, key file 0600.
// SPEC-AMBIGUITY: pki issues only RSP certificate profiles; the verifier's certificate uses the SM-DS TLS
// profile (EKU serverAuth, SAN dNSName/iPAddress) with the development SM-DS OID, which no RSP client is asked to
// accept from it: only Kamailio connects to it.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { developmentOids, issueDsTlsCertificate, serialNumberFromRandom, toPem, type PkiEntity } from '@zkesim/pki';

export interface VerifierTlsFiles {
  certificate: string;
  key: string;
}

const DAY_MS = 86_400_000;

/** The verifier's certificate and key under `dir` (issued by `ci` when missing). */
export function ensureVerifierTls(dir: string, ci: PkiEntity, now = new Date()): VerifierTlsFiles {
  const files = { certificate: join(dir, 'verifier.cert.pem'), key: join(dir, 'verifier.key.pem') };
  if (existsSync(files.certificate) && existsSync(files.key)) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certificate = issueDsTlsCertificate({
    ci: { certificate: ci.certificate, signer: ci.signer },
    organization: 'zkesim',
    commonName: 'zkesim SIP ZK verifier',
    registeredId: developmentOids.smds,
    dnsNames: ['localhost'],
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
