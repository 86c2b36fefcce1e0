// Real certificates for the SM-DP+ tests, made with the openssl CLI in a temp folder: a DPtls
// certificate for testsmdpplus1.example.com issued by the published SGP.26 test CI (so it never expires
// under the tests), an operator CA with two client certificates (the operator's, and one with another CN that
// no test configures as an operator), a second unrelated CA with its own
// client certificate (the "other CA" negative case), and a TLS certificate for the operator's callback
// server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { id_rspRole_dp_tls, type CurveName } from '@zkesim/protocol';

export const sgp26 = (file: string): string => fileURLToPath(new URL(`../../../../shared/spec/sgp26/${file}`, import.meta.url));
/** The part of an SGP.26 file name that names its curve (`…_ECDSA_NIST.der`, `…_ECDSA_BRP.der`). */
export const sgp26CurveName = (curve: CurveName): 'NIST' | 'BRP' => (curve === 'P-256' ? 'NIST' : 'BRP');
export const sharedSpec = (file: string): string => fileURLToPath(new URL(`../../../../shared/spec/${file}`, import.meta.url));
export const smdpHost = 'testsmdpplus1.example.com';

export interface TestPki {
  dir: string;
  ciNist: string;
  dpTlsCert: string;
  dpTlsKey: string;
  operatorCa: string;
  operatorCert: string;
  operatorKey: string;
  /** A client certificate of the operator CA with CN=other-operator. */
  otherOperatorCert: string;
  otherOperatorKey: string;
  /** The self-signed CA of rogueCert. */
  rogueCa: string;
  rogueCert: string;
  rogueKey: string;
  callbackCert: string;
  callbackKey: string;
  ciBrainpool: string;
  /** DPtls on brainpoolP256r1, issued by the SGP.26 brainpool test CI. */
  dpTlsBrainpoolCert: string;
  dpTlsBrainpoolKey: string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function keyPair(dir: string, name: string, curve = 'prime256v1'): string {
  openssl(['ecparam', '-name', curve, '-genkey', '-noout', '-out', `${name}.key.pem`], dir);
  return join(dir, `${name}.key.pem`);
}

function issue(dir: string, name: string, subject: string, issuer: { cert: string; key: string }, ext: string, curve?: string): string {
  keyPair(dir, name, curve);
  openssl(['req', '-new', '-key', `${name}.key.pem`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', issuer.cert, '-CAkey', issuer.key, '-CAcreateserial', '-days', '3650', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.pem`],
    dir,
  );
  return join(dir, `${name}.pem`);
}

function selfSignedCa(dir: string, name: string, subject: string): { cert: string; key: string } {
  const key = keyPair(dir, name);
  writeFileSync(join(dir, `${name}.ext`), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  openssl(['req', '-new', '-x509', '-key', key, '-subj', subject, '-days', '3650', '-sha256', '-out', `${name}.pem`, '-extensions', 'v3_ca'], dir);
  return { cert: join(dir, `${name}.pem`), key };
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'smdp-pki-'));
  const ci = { cert: sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.pem'), key: sgp26('CertificateIssuer/SK_CI_ECDSA_NIST.pem') };
  const dpTlsCert = issue(
    dir,
    'dptls',
    `/O=ACME/CN=${smdpHost}`,
    ci,
    `keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:${smdpHost}\ncertificatePolicies=critical,${id_rspRole_dp_tls}\n`,
  );
  const ciBrainpool = { cert: sgp26('CertificateIssuer/CERT_CI_ECDSA_BRP.pem'), key: sgp26('CertificateIssuer/SK_CI_ECDSA_BRP.pem') };
  const dpTlsBrainpoolCert = issue(
    dir,
    'dptls-brp',
    `/O=ACME/CN=${smdpHost}`,
    ciBrainpool,
    `keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:${smdpHost}\ncertificatePolicies=critical,${id_rspRole_dp_tls}\n`,
    'brainpoolP256r1',
  );
  const operatorCa = selfSignedCa(dir, 'operator-ca', '/O=Test Operator/CN=Operator CA');
  const clientExt = 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';
  const operatorCert = issue(dir, 'operator', '/O=Test Operator/CN=operator', operatorCa, clientExt);
  const otherOperatorCert = issue(dir, 'other-operator', '/O=Test Operator/CN=other-operator', operatorCa, clientExt);
  const rogueCa = selfSignedCa(dir, 'rogue-ca', '/O=Rogue/CN=Rogue CA');
  const rogueCert = issue(dir, 'rogue', '/O=Rogue/CN=operator', rogueCa, clientExt);
  const callbackCert = issue(
    dir,
    'callback',
    '/O=Test Operator/CN=localhost',
    operatorCa,
    'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
  );
  return {
    dir,
    ciNist: ci.cert,
    dpTlsCert,
    dpTlsKey: join(dir, 'dptls.key.pem'),
    operatorCa: operatorCa.cert,
    operatorCert,
    operatorKey: join(dir, 'operator.key.pem'),
    otherOperatorCert,
    otherOperatorKey: join(dir, 'other-operator.key.pem'),
    rogueCa: rogueCa.cert,
    rogueCert,
    rogueKey: join(dir, 'rogue.key.pem'),
    callbackCert,
    callbackKey: join(dir, 'callback.key.pem'),
    ciBrainpool: ciBrainpool.cert,
    dpTlsBrainpoolCert,
    dpTlsBrainpoolKey: join(dir, 'dptls-brp.key.pem'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
