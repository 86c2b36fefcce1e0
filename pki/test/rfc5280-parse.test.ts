// Parsing certificates and CRLs with protocol's generated PKIX codecs (RFC 5280 §4.1, §5.1): the fields
// read from the SGP.26 certificates agree with OpenSSL's reading of the same bytes (node:crypto
// X509Certificate), and the deprecated asn1-x509 views still describe the same certificate.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Name, Time, derOf, encodeTlv, toHex, type Name as NameValue, id_rspRole_ci, id_rspRole_euicc } from '@zkesim/protocol';
import { parseCertificate } from '../src/certificate/RspCertificate.js';
import { dateOfTime, serialNumberBytes } from '../src/certificate/der.js';
import {
  authorityKeyIdentifierOf, basicConstraintsOf, keyUsageOf, nameConstraintsOf, policiesOf, registeredIdsOf, subjectKeyIdentifierOf,
} from '../src/certificate/extensions.js';
import { attributeValues, describeName, namesEqual } from '../src/certificate/names.js';
import { issueCrl } from '../src/crl/issueCrl.js';
import { parseCrl } from '../src/crl/RspCrl.js';
import { CertificateFormatError } from '../src/errors.js';
import { loadSgp26Pki } from '../src/sgp26.js';
import { SGP26_DIR, SGP26_VALID_AT } from './helpers.js';

const files = {
  euicc: 'eUICC/CERT_EUICC_ECDSA_NIST.der',
  eum: 'EUM/CERT_EUM_ECDSA_NIST.der',
  ci: 'CertificateIssuer/CERT_CI_ECDSA_BRP.der',
  dpauth: 'DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der',
} as const;

describe.each(Object.entries(files))('the SGP.26 %s certificate read with the protocol codec', (_name, file) => {
  const der = new Uint8Array(readFileSync(join(SGP26_DIR, file)));
  const certificate = parseCertificate(der);
  const openssl = new X509Certificate(der);

  it('has the serial number, validity and key OpenSSL reads', () => {
    expect(toHex(certificate.serialNumber).toUpperCase().replace(/^00/, '')).toBe(openssl.serialNumber.replace(/^00/, ''));
    expect(certificate.notBefore.getTime()).toBe(new Date(openssl.validFrom).getTime());
    expect(certificate.notAfter.getTime()).toBe(new Date(openssl.validTo).getTime());
    expect(certificate.publicKey.equals(openssl.publicKey)).toBe(true);
  });

  it('keeps the received TBSCertificate bytes and verifies with them', () => {
    expect(certificate.tbsDer).toEqual(derOf(certificate.tbsCertificate));
    expect(Buffer.from(der).includes(Buffer.from(certificate.tbsDer))).toBe(true);
  });

  it('names the subject and issuer as OpenSSL does, and the asn1-x509 views agree', () => {
    // Node prints one attribute per line with RFC 4514 escapes (`SM-DP\+`); describeName does not escape.
    const opensslName = (text: string) => text.split('\n').join(', ').replace(/\\(.)/g, '$1');
    expect(describeName(certificate.tbsCertificate.subject)).toBe(opensslName(openssl.subject));
    expect(describeName(certificate.tbsCertificate.issuer)).toBe(opensslName(openssl.issuer));
  });

  it('reads SKI and AKI as OpenSSL prints them', () => {
    const text = execFileSync('openssl', ['x509', '-inform', 'der', '-in', join(SGP26_DIR, file), '-noout', '-ext', 'subjectKeyIdentifier,authorityKeyIdentifier'], { encoding: 'utf8' });
    const printed = (label: string) => new RegExp(`${label}[^\\n]*\\n\\s*(?:keyid:)?([0-9A-F:]+)`).exec(text)?.[1]?.replace(/:/g, '').toLowerCase();
    const hexOf = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : toHex(bytes));
    expect(hexOf(subjectKeyIdentifierOf(certificate))).toBe(printed('Subject Key Identifier'));
    expect(hexOf(authorityKeyIdentifierOf(certificate))).toBe(printed('Authority Key Identifier'));
  });
});

describe('extension values decoded with the PKIX1Implicit88 codecs (SGP.22 v2.2.2 §4.5.2.1)', () => {
  const pki = loadSgp26Pki(SGP26_DIR, 'nist');

  it('CI: CA with keyCertSign and cRLSign, policy id-rspRole-ci', () => {
    expect(basicConstraintsOf(pki.ci.certificate)?.cA).toBe(true);
    expect(keyUsageOf(pki.ci.certificate)).toBe(32 | 64);
    expect(policiesOf(pki.ci.certificate)).toContain(id_rspRole_ci);
  });

  it('EUM: CA with pathLenConstraint 0, AKI = the CI SKI, permitted subtree with the EIN prefix', () => {
    expect(basicConstraintsOf(pki.eum.certificate)).toEqual({ cA: true, pathLenConstraint: 0 });
    expect(authorityKeyIdentifierOf(pki.eum.certificate)).toEqual(subjectKeyIdentifierOf(pki.ci.certificate));
    const base = nameConstraintsOf(pki.eum.certificate)?.permittedSubtrees?.[0]?.base;
    expect(base !== undefined && 'directoryName' in base ? attributeValues(base.directoryName, 'serialNumber') : []).toEqual(['89049032']);
  });

  it('eUICC: digitalSignature only, no basicConstraints CA, policy id-rspRole-euicc', () => {
    expect(keyUsageOf(pki.euicc.certificate)).toBe(1);
    expect(basicConstraintsOf(pki.euicc.certificate)?.cA ?? false).toBe(false);
    expect(policiesOf(pki.euicc.certificate)).toEqual([id_rspRole_euicc]);
  });

  it('DPauth: the SM-DP+ OID as subjectAltName registeredID', () => {
    expect(registeredIdsOf(pki.dpauth.certificate)).toEqual(['2.999.10']);
  });

  it('a caller cannot change the cached key identifier', () => {
    const ski = subjectKeyIdentifierOf(pki.ci.certificate);
    ski?.fill(0);
    expect(subjectKeyIdentifierOf(pki.ci.certificate)).not.toEqual(ski);
  });
});

describe('CRLs read with the protocol CertificateList codec (RFC 5280 §5)', () => {
  const pki = loadSgp26Pki(SGP26_DIR, 'nist');

  it('reads cRLNumber, the dates, the revoked serial numbers and the AKI', () => {
    const revocationDate = new Date('2026-02-01T00:00:00Z');
    const issued = issueCrl({
      issuer: { certificate: pki.ci.certificate, signer: pki.ci.signer },
      thisUpdate: new Date('2026-03-01T00:00:00Z'), nextUpdate: new Date('2027-03-01T00:00:00Z'), crlNumber: 7,
      revoked: [{ serialNumber: pki.eum.certificate.serialNumber, revocationDate }],
    });
    const crl = parseCrl(issued.der);
    expect(crl.crlNumber).toBe(7n);
    expect(crl.thisUpdate.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(crl.nextUpdate?.toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect([...crl.revoked]).toEqual([[toHex(pki.eum.certificate.serialNumber), revocationDate]]);
    expect(authorityKeyIdentifierOf(crl)).toEqual(subjectKeyIdentifierOf(pki.ci.certificate));
    expect(namesEqual(crl.tbsCertList.issuer, pki.ci.certificate.tbsCertificate.subject)).toBe(true);
    expect(crl.tbsDer).toEqual(derOf(crl.tbsCertList));
    expect(SGP26_VALID_AT.getTime()).toBeGreaterThan(crl.thisUpdate.getTime());
  });
});

describe('Time (RFC 5280 §4.1.2.5)', () => {
  it('reads UTCTime years 00-49 as 20YY and 50-99 as 19YY', () => {
    expect(dateOfTime({ utcTime: '491231235959Z' }, 't').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(dateOfTime({ utcTime: '500101000000Z' }, 't').toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(dateOfTime({ generalTime: '99991231235959Z' }, 't').toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it.each<Time>([
    { utcTime: '2501010000Z' }, { utcTime: '250101000000+0100' }, { utcTime: '251301000000Z' }, { utcTime: '250230000000Z' },
    { utcTime: '250101000060Z' }, { generalTime: '20250101000000.5Z' }, { generalTime: '20250101000000' },
  ])('refuses %j', (time) => {
    expect(() => dateOfTime(time, 'notBefore')).toThrow(CertificateFormatError);
  });
});

describe('names', () => {
  const utf8 = (text: string) => encodeTlv(0x0c, new TextEncoder().encode(text));
  const handBuilt: NameValue = {
    rdnSequence: [
      [{ type: '2.5.4.6', value: encodeTlv(0x13, new TextEncoder().encode('ES')) }],
      [{ type: '1.2.840.113549.1.9.1', value: encodeTlv(0x16, new TextEncoder().encode('a@example.org')) }],
      [{ type: '2.5.4.3', value: utf8('Ñame') }, { type: '2.5.4.99', value: new Uint8Array([0x02, 0x01, 0x05]) }],
    ],
  };

  it('renders DirectoryString and IA5String values, and other types as #hex (RFC 4514 §2.4)', () => {
    expect(describeName(handBuilt)).toBe('C=ES, 1.2.840.113549.1.9.1=a@example.org, CN=Ñame+2.5.4.99=#020105');
  });

  it('compares a decoded name with a hand-built one by DER', () => {
    expect(namesEqual(Name.decode(Name.encode(handBuilt)), handBuilt)).toBe(true);
    expect(namesEqual(handBuilt, { rdnSequence: [[{ type: '2.5.4.3', value: utf8('Ñame') }]] })).toBe(false);
  });

  it('refuses a malformed attribute value with CertificateFormatError', () => {
    const broken: NameValue = { rdnSequence: [[{ type: '2.5.4.3', value: new Uint8Array([0x0c, 0x02, 0xff, 0xfe]) }]] };
    expect(() => attributeValues(broken, 'CN')).toThrow(CertificateFormatError);
  });
});

describe('serial numbers', () => {
  it('are the minimal two\'s complement INTEGER contents', () => {
    expect(toHex(serialNumberBytes(0x80n))).toBe('0080');
    expect(toHex(serialNumberBytes(0x7fn))).toBe('7f');
    expect(toHex(serialNumberBytes(-1n))).toBe('ff');
  });
});
