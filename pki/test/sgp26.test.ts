// SGP.26 test PKI (GSMA SGP.26 v3 test certificates, shared/spec/sgp26): the published chains validate
// through the same code as our own, and each kind of defect fails with the rule that names it.
import { describe, expect, it } from 'vitest';
import { parseCertificate, type RspCertificate } from '../src/certificate/RspCertificate.js';
import { CertificateFormatError } from '../src/errors.js';
import { loadSgp26Pki, SGP26_EID, trustedSgp26Cis } from '../src/sgp26.js';
import { Certificate } from '@zkesim/protocol';
import { validateChain } from '../src/validateChain.js';
import { SGP26_DIR, SGP26_VALID_AT, expectRule, flipped } from './helpers.js';

const pkis = { nist: loadSgp26Pki(SGP26_DIR, 'nist'), brp: loadSgp26Pki(SGP26_DIR, 'brp') };

describe.each(['nist', 'brp'] as const)('SGP.26 %s chains (SGP.22 §4.5.2)', (curve) => {
  const pki = pkis[curve];
  const trustedCis = [pki.ci.certificate];
  const euiccChain = (certificate: RspCertificate, eum: RspCertificate, cis = trustedCis, at = SGP26_VALID_AT) =>
    validateChain({ certificate, intermediates: [eum], trustedCis: cis, role: 'euicc', at });

  it('validates eUICC → EUM → CI and carries the EID', () => {
    const chain = euiccChain(pki.euicc.certificate, pki.eum.certificate);
    expect(chain.path.map((certificate) => certificate.der)).toEqual([pki.euicc.certificate.der, pki.eum.certificate.der, pki.ci.certificate.der]);
    expect(pki.eid).toBe(SGP26_EID);
  });

  it.each(['dpauth', 'dppb', 'dptls'] as const)('validates %s → CI', (role) => {
    const chain = validateChain({ certificate: pki[role].certificate, trustedCis, role, at: SGP26_VALID_AT });
    expect(chain.ci.der).toEqual(pki.ci.certificate.der);
  });

  it('reads the eUICC notAfter as GeneralizedTime year 7496', () => {
    expect(pki.euicc.certificate.notAfter.toISOString()).toBe('7496-01-24T09:48:58.000Z');
  });

  it('rejects the chain against the CI of the other curve as unknown-ci (3.9)', () => {
    const other = pkis[curve === 'nist' ? 'brp' : 'nist'].ci.certificate;
    expectRule(() => euiccChain(pki.euicc.certificate, pki.eum.certificate, [other]), 'unknown-ci', '3.9');
    expectRule(() => validateChain({ certificate: pki.dpauth.certificate, trustedCis: [other], role: 'dpauth', at: SGP26_VALID_AT }), 'unknown-ci', '3.9');
  });

  it('rejects an expired and a not-yet-valid certificate at the given time with validity (6.3)', () => {
    const dpauth = (at: Date) => validateChain({ certificate: pki.dpauth.certificate, trustedCis, role: 'dpauth', at });
    expectRule(() => dpauth(new Date('2030-03-30T08:31:31Z')), 'validity', '6.3', 0);
    expectRule(() => dpauth(new Date('2020-04-01T08:31:29Z')), 'validity', '6.3', 0);
    expect(() => dpauth(new Date('2030-03-30T08:31:30Z'))).not.toThrow();
    const eumExpired = expectRule(() => euiccChain(pki.euicc.certificate, pki.eum.certificate, trustedCis, new Date('2054-03-25T00:00:00Z')), 'validity', '6.3', 1);
    expect(eumExpired.subjectCode).toBe('8.1.2');
  });

  it('rejects a certificate used in the wrong role with role-policy', () => {
    const use = (certificate: RspCertificate, role: 'dpauth' | 'dppb' | 'dptls') => () =>
      validateChain({ certificate, trustedCis, role, at: SGP26_VALID_AT });
    expectRule(use(pki.dpauth.certificate, 'dppb'), 'role-policy', '6.1', 0);
    expectRule(use(pki.dppb.certificate, 'dpauth'), 'role-policy', '6.1', 0);
    expectRule(use(pki.dppb.certificate, 'dptls'), 'role-policy', '6.1', 0);
    expectRule(use(pki.dptls.certificate, 'dpauth'), 'role-policy', '6.1', 0);
    expectRule(() => validateChain({ certificate: pki.euicc.certificate, intermediates: [pki.eum.certificate], trustedCis, role: 'dpauth', at: SGP26_VALID_AT }), 'role-policy', '6.1', 0);
    expectRule(() => validateChain({ certificate: pki.dpauth.certificate, trustedCis, role: 'euicc', at: SGP26_VALID_AT }), 'role-policy', '6.1', 0);
    expectRule(() => validateChain({ certificate: pki.eum.certificate, trustedCis, role: 'dpauth', at: SGP26_VALID_AT }), 'basic-constraints', '6.1', 0);
  });

  it('rejects an eUICC chain without its EUM', () => {
    expectRule(() => validateChain({ certificate: pki.euicc.certificate, trustedCis, role: 'euicc', at: SGP26_VALID_AT }), 'unknown-ci', '3.9');
  });
});

describe('SGP.26 files in the repository and the protocol codec', () => {
  it('ships the two test CI certificates byte-identical to the published ones', () => {
    const shipped = trustedSgp26Cis();
    expect(shipped.nist.der).toEqual(pkis.nist.ci.certificate.der);
    expect(shipped.brp.der).toEqual(pkis.brp.ci.certificate.der);
  });

  it('round-trips every SGP.26 certificate through the protocol Certificate codec', () => {
    for (const pki of Object.values(pkis)) {
      for (const entity of [pki.ci, pki.eum, pki.euicc, pki.dpauth, pki.dppb, pki.dptls]) {
        expect(Certificate.encode(Certificate.decode(entity.certificate.der))).toEqual(entity.certificate.der);
      }
    }
  });
});

describe('a one-byte change in any SGP.26 certificate fails validation', () => {
  const pki = pkis.nist;
  const chains = {
    euicc: [pki.euicc.certificate, pki.eum.certificate, pki.ci.certificate],
    dpauth: [pki.dpauth.certificate, pki.ci.certificate],
    dppb: [pki.dppb.certificate, pki.ci.certificate],
    dptls: [pki.dptls.certificate, pki.ci.certificate],
  } as const;

  // Bytes of every certificate of the NIST chains, XOR 0x01: the first and last 16 bytes (headers, the
  // signature) and every 5th byte between (all of them took ~20 s, too slow for CI): none may validate,
  // and each failure is one of the rules that can see a damaged certificate.
  const offsetsToDamage = (length: number) =>
    Array.from({ length }, (_, offset) => offset).filter((offset) => offset < 16 || offset >= length - 16 || offset % 5 === 0);

  it.each(Object.keys(chains) as (keyof typeof chains)[])('bytes across the %s chain', (role) => {
    const chain = chains[role];
    const seen = new Map<string, number>();
    chain.forEach((target, position) => {
      for (const offset of offsetsToDamage(target.der.length)) {
        let rule: string;
        try {
          const damaged = parseCertificate(flipped(target.der, offset));
          const certificates = chain.map((certificate, index) => (index === position ? damaged : certificate));
          const ci = certificates[certificates.length - 1] as RspCertificate;
          const error = expectRuleOrFormat(() =>
            validateChain({ certificate: certificates[0] as RspCertificate, intermediates: certificates.slice(1, -1), trustedCis: [ci], role, at: SGP26_VALID_AT }),
          );
          rule = error;
        } catch (error) {
          if (!(error instanceof CertificateFormatError)) throw error;
          rule = 'format';
        }
        seen.set(rule, (seen.get(rule) ?? 0) + 1);
      }
    });
    expect([...seen.keys()].every((rule) => ['format', 'signature', 'unknown-ci', 'issuer-name'].includes(rule))).toBe(true);
    expect(seen.get('signature')).toBeGreaterThan(0);
  });

  function expectRuleOrFormat(action: () => unknown): string {
    try {
      action();
    } catch (error) {
      if (error instanceof CertificateFormatError) return 'format';
      const rule = (error as { rule?: unknown }).rule;
      if (typeof rule === 'string') return rule;
      throw error;
    }
    throw new Error('a damaged certificate validated');
  }

  it('a changed notBefore digit in the eUICC certificate (brainpool) reports signature (6.1) on the eUICC', () => {
    const brp = pkis.brp;
    const der = brp.euicc.certificate.der;
    const offset = Buffer.from(der).indexOf('200401094858Z'); // notBefore UTCTime
    expect(offset).toBeGreaterThan(0);
    const damaged = parseCertificate(flipped(der, offset + 11)); // 58 → 59 seconds
    const error = expectRule(
      () => validateChain({ certificate: damaged, intermediates: [brp.eum.certificate], trustedCis: [brp.ci.certificate], role: 'euicc', at: SGP26_VALID_AT }),
      'signature', '6.1', 0,
    );
    expect(error.subjectCode).toBe('8.1.3');
  });
});
