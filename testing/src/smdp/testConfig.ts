// An SmdpConfig for tests: every port ephemeral (the admin listener's too), the database in a temp folder, the SGP.26 NIST
// DPauth/DPpb credentials, and the test PKI's DPtls and operator CA.
import { join } from 'node:path';
import { defaultConfig, validateConfig, type SmdpConfig } from '@zkesim/sm-dp-plus';
import { sgp26, smdpHost, type TestPki } from './testPki.js';

export function testConfig(pki: TestPki, changes: (config: SmdpConfig) => void = () => undefined): SmdpConfig {
  const config = defaultConfig(pki.dir);
  config.address = smdpHost;
  config.storage = { kind: 'sqlite', path: join(pki.dir, `smdp-${Math.random().toString(36).slice(2)}.db`) };
  config.es9 = [{ port: 0, tlsCertificate: pki.dpTlsCert, tlsKey: pki.dpTlsKey }];
  config.credentials = [
    {
      ciCertificate: sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.der'),
      dpAuthCertificate: sgp26('DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der'),
      dpAuthKey: sgp26('DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem'),
      dpPbCertificate: sgp26('DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der'),
      dpPbKey: sgp26('DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem'),
    },
  ];
  config.es2 = {
    mode: 'port',
    port: 0,
    // The test PKI's operator CA issues operator certificates only.
    operators: [{ operatorId: 'operator', caCertificate: pki.operatorCa, anyCertificateOfCa: true }],
    clientCertificate: pki.operatorCert,
    clientKey: pki.operatorKey,
    callbackCa: [pki.operatorCa],
  };
  config.outbox = { pollIntervalMs: 60_000, baseDelayMs: 50, maxDelayMs: 1000, requestTimeoutMs: 2000, maxAttempts: 100 };
  config.admin = { enabled: true, host: '127.0.0.1', port: 0 };
  config.logLevel = 'silent';
  config.metrics = false;
  config.profilesPerTemplate = 0;
  config.crls = [];
  config.anchor = { enabled: false, outboxDirectory: join(pki.dir, 'chain') };
  changes(config);
  return validateConfig(config);
}
