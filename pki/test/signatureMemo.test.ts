// The signature rule keeps (certificate, issuer) pairs that verified (pki/src/rules/signature.ts): a pair
// that held is accepted again without a new verification, but the same certificate under another issuer
// object, or a certificate with the same bytes parsed anew and changed, is still verified.
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../src/certificate/RspCertificate.js';
import { issueEuiccCertificate } from '../src/issue/euicc.js';
import { issueEumCertificate } from '../src/issue/eum.js';
import { serialNumberFromRandom } from '../src/issue/issueCertificate.js';
import { generateKeyPair } from '../src/keys/keyFile.js';
import { curveOfLabel } from '../src/keys/curves.js';
import { loadSgp26Pki } from '../src/sgp26.js';
import { validateChain } from '../src/validateChain.js';
import { SGP26_DIR, SGP26_VALID_AT, expectRule, flipped } from './helpers.js';

describe('signature rule memo', () => {
  const pki = loadSgp26Pki(SGP26_DIR, 'nist');
  const at = SGP26_VALID_AT;
  const euicc = issueEuiccCertificate({
    serialNumber: serialNumberFromRandom(new Uint8Array(16).fill(5)), notBefore: new Date('2026-01-01T00:00:00Z'),
    eum: { certificate: pki.eum.certificate, signer: pki.eum.signer }, publicKey: generateKeyPair(curveOfLabel.nist).publicKey,
    eid: '89049032000000000000000000000042', country: 'ES', commonName: 'Test eUICC',
  });
  const chain = (eum = pki.eum.certificate) => validateChain({ certificate: euicc, intermediates: [eum], trustedCis: [pki.ci.certificate], role: 'euicc', at });

  it('accepts a verified pair again, and still refuses the same eUICC under an EUM with the same name and another key', () => {
    expect(chain().path).toHaveLength(3);
    expect(chain().path).toHaveLength(3);
    const impostor = issueEumCertificate({
      serialNumber: serialNumberFromRandom(new Uint8Array(16).fill(6)), notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'),
      ci: { certificate: pki.ci.certificate, signer: pki.ci.signer }, publicKey: generateKeyPair(curveOfLabel.nist).publicKey,
      country: 'ES', organization: 'RSP Test EUM', commonName: 'EUM Test', permittedEins: ['89049032'],
    });
    expectRule(() => chain(impostor), 'signature', '6.1', 0);
  });

  it('verifies a changed copy of a verified certificate anew', () => {
    expect(chain().path).toHaveLength(3);
    const damaged = parseCertificate(flipped(euicc.der, euicc.der.length - 3));
    expectRule(() => validateChain({ certificate: damaged, intermediates: [pki.eum.certificate], trustedCis: [pki.ci.certificate], role: 'euicc', at }), 'signature', '6.1', 0);
  });
});
