// Chain rules that need certificates the SGP.26 set does not contain (SGP.22 §4.5.2): issued here under
// the SGP.26 test CI and EUM keys, with a fixed clock and deterministic serial numbers.
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Extension } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { issueCrl } from '../src/crl/issueCrl.js';
import { revokeCertificate } from '../src/crl/revoke.js';
import { parseCrl } from '../src/crl/RspCrl.js';
import { issueEuiccCertificate } from '../src/issue/euicc.js';
import { issueEumCertificate } from '../src/issue/eum.js';
import { issueDpAuthCertificate } from '../src/issue/smdpplus.js';
import { issueCertificate, issuerOf, serialNumberFromRandom } from '../src/issue/issueCertificate.js';
import { authorityKeyIdentifier, keyUsage, rolePolicy } from '../src/issue/extensions.js';
import { loadSgp26Pki } from '../src/sgp26.js';
import { validateChain } from '../src/validateChain.js';
import { id_rspRole_dp_auth } from '@zkesim/protocol';
import { keyIdentifierOf } from '../src/issue/extensions.js';
import { createKeyObjectSigner } from '../src/keys/signer.js';
import { generateKeyPair } from '../src/keys/keyFile.js';
import { curveOfLabel } from '../src/keys/curves.js';
import { SGP26_DIR, SGP26_VALID_AT, expectRule } from './helpers.js';

describe.each(['nist', 'brp'] as const)('SGP.26 %s CI and EUM', (curveName) => {
  const pki = loadSgp26Pki(SGP26_DIR, curveName);
  const ci = { certificate: pki.ci.certificate, signer: pki.ci.signer };
  const eum = { certificate: pki.eum.certificate, signer: pki.eum.signer };
  const trustedCis = [pki.ci.certificate];
  const at = SGP26_VALID_AT;
  let counter = 0;
  const serial = () => serialNumberFromRandom(Uint8Array.from({ length: 16 }, (_, i) => (i * 31 + (counter += 1)) & 0xff));
  const newKey = () => generateKeyPair(curveOfLabel[curveName]).publicKey;
  const window = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') };

  function euiccWith(eid: string, organization?: string) {
    return issueEuiccCertificate({
      serialNumber: serial(), notBefore: window.notBefore, eum, publicKey: newKey(), eid, country: 'ES', commonName: 'Test eUICC',
      ...(organization === undefined ? {} : { organization }),
    });
  }

  describe('permitted EINs (SGP.22 §4.5.2.1: the EID starts with an EIN of the EUM)', () => {
    it('accepts an EID inside the SGP.26 EUM prefix 89049032', () => {
      const chain = validateChain({ certificate: euiccWith('89049032000000000000000000000042'), intermediates: [pki.eum.certificate], trustedCis, role: 'euicc', at });
      expect(chain.path).toHaveLength(3);
    });

    it('rejects an EID outside the prefix with permitted-eins (8.1.4 / 6.1)', () => {
      const error = expectRule(
        () => validateChain({ certificate: euiccWith('89049033000000000000000000000042'), intermediates: [pki.eum.certificate], trustedCis, role: 'euicc', at }),
        'permitted-eins', '6.1', 0,
      );
      expect(error.subjectCode).toBe('8.1.4');
    });

    it('rejects an eUICC whose O is not the EUM organisation of the subtree', () => {
      expectRule(
        () => validateChain({ certificate: euiccWith('89049032000000000000000000000042', 'Other EUM'), intermediates: [pki.eum.certificate], trustedCis, role: 'euicc', at }),
        'permitted-eins', '6.1', 0,
      );
    });

    it('refuses to issue an EUM without a permitted EIN', () => {
      expect(() => issueEumCertificate({ ...window, serialNumber: serial(), ci, publicKey: newKey(), country: 'ES', organization: 'X', commonName: 'X', permittedEins: [] })).toThrow(/permitted EIN/);
    });
  });

  describe('CA constraints', () => {
    it('rejects a path below an EUM with pathLen 0 (path-length)', () => {
      const subKey = generateKeyPair(curveOfLabel[curveName]);
      const subEum = issueEumCertificate({
        ...window, serialNumber: serial(), ci: eum, publicKey: subKey.publicKey, country: 'ES', organization: 'RSP Test EUM', commonName: 'Sub EUM', permittedEins: ['89049032'],
      });
      const euicc = issueEuiccCertificate({
        serialNumber: serial(), notBefore: window.notBefore, eum: { certificate: subEum, signer: createKeyObjectSigner(subKey.privateKey, subKey.publicKey) },
        publicKey: newKey(), eid: '89049032000000000000000000000042', country: 'ES', commonName: 'deep eUICC',
      });
      expectRule(() => validateChain({ certificate: euicc, intermediates: [subEum, pki.eum.certificate], trustedCis, role: 'euicc', at }), 'path-length', '6.1', 2);
    });

    it('rejects an unknown critical extension (critical-extension)', () => {
      const unknown = new Extension({ extnID: '2.999.77', critical: true, extnValue: new OctetString(AsnConvert.serialize(new OctetString(new Uint8Array([1])))) });
      const certificate = issueCertificate(
        {
          ...window, serialNumber: serial(), subject: [{ type: 'O', value: 'ACME' }, { type: 'CN', value: 'odd' }], subjectPublicKey: newKey(),
          extensions: [authorityKeyIdentifier(keyIdentifierOf(pki.ci.publicKey)), keyUsage(1), rolePolicy(id_rspRole_dp_auth), unknown],
        },
        issuerOf(pki.ci.certificate, pki.ci.signer),
      );
      expectRule(() => validateChain({ certificate, trustedCis, role: 'dpauth', at }), 'critical-extension', '6.1', 0);
    });
  });

  describe('revocation against CRLs (RFC 5280 §6.3, SGP.22 §4.5.2.2)', () => {
    const dpauth = issueDpAuthCertificate({ ...window, serialNumber: serial(), ci, publicKey: newKey(), organization: 'ACME', commonName: 'SM-DP+', registeredId: '2.999.10' });
    const empty = issueCrl({ issuer: ci, thisUpdate: new Date('2026-11-01T00:00:00Z'), nextUpdate: new Date('2026-12-01T00:00:00Z'), crlNumber: 1, revoked: [] });
    const check = (crls: ReturnType<typeof parseCrl>[], when = at) => validateChain({ certificate: dpauth, trustedCis, role: 'dpauth', at: when, crls });

    it('accepts a certificate that a current CRL does not list', () => {
      expect(() => check([empty])).not.toThrow();
    });

    it('rejects a revoked certificate (revoked), and the revoked CRL round-trips through DER', () => {
      const revoked = revokeCertificate({ crl: empty, issuer: ci, serialNumber: dpauth.serialNumber, at: new Date('2026-11-20T00:00:00Z'), nextUpdate: new Date('2026-12-20T00:00:00Z') });
      expect(revoked.crlNumber).toBe(2n);
      expectRule(() => check([parseCrl(revoked.der)]), 'revoked', '6.1', 0);
      // The SGP.26 DPauth certificate is not on that CRL.
      expect(() => validateChain({ certificate: pki.dpauth.certificate, trustedCis, role: 'dpauth', at, crls: [revoked] })).not.toThrow();
    });

    it('rejects a stale CRL past nextUpdate (crl-validity)', () => {
      expectRule(() => check([empty], new Date('2026-12-02T00:00:00Z')), 'crl-validity', '6.1', 0);
    });

    it('rejects a CRL with a forged signature (crl-signature)', () => {
      const forged = issueCrl({ issuer: { certificate: pki.ci.certificate, signer: pki.dpauth.signer }, thisUpdate: new Date('2026-11-01T00:00:00Z'), nextUpdate: new Date('2026-12-01T00:00:00Z'), crlNumber: 9, revoked: [] });
      expectRule(() => check([forged]), 'crl-signature', '6.1', 0);
    });

    it('refuses to issue a CRL from a certificate without cRLSign', () => {
      expect(() => issueCrl({ issuer: eum, thisUpdate: window.notBefore, nextUpdate: window.notAfter, crlNumber: 1, revoked: [] })).toThrow(/cRLSign/);
    });
  });
});

describe('format: a validly signed certificate with a malformed or repeated extension', () => {
  const pki = loadSgp26Pki(SGP26_DIR, 'nist');
  const issue = (extensions: Extension[]) =>
    issueCertificate(
      {
        notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'),
        serialNumber: serialNumberFromRandom(new Uint8Array(16).fill(9)), subject: [{ type: 'O', value: 'ACME' }, { type: 'CN', value: 'odd' }],
        subjectPublicKey: generateKeyPair('P-256').publicKey, extensions,
      },
      issuerOf(pki.ci.certificate, pki.ci.signer),
    );
  const validate = (certificate: ReturnType<typeof issue>) => () =>
    validateChain({ certificate, trustedCis: [pki.ci.certificate], role: 'dpauth', at: SGP26_VALID_AT });

  it('reports format for a keyUsage whose value is not a BIT STRING', () => {
    const broken = new Extension({ extnID: '2.5.29.15', critical: true, extnValue: new OctetString(new Uint8Array([0x04, 0x01, 0x00])) });
    expectRule(validate(issue([broken, rolePolicy(id_rspRole_dp_auth)])), 'format', '6.1', 0);
  });

  it('reports format for a repeated extension', () => {
    expectRule(validate(issue([keyUsage(1), keyUsage(1), rolePolicy(id_rspRole_dp_auth)])), 'format', '6.1', 0);
  });
});
