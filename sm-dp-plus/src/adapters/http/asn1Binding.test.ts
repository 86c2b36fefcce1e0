// The ES9+ ASN.1 binding answers every status code a function's table in SGP.22 v2.2.2 §5.6 allows with a
// number its error INTEGER (rsp.asn) names for it; no code of the spec falls through to the catch-all.
import { describe, expect, it } from 'vitest';
import { Codes, RspError, type StatusCode } from '@zkesim/protocol';
import { asn1ErrorNumber, type Asn1ErrorTable } from '@zkesim/rsp-server';
import { es9plusAsn1Errors } from './asn1Binding.js';

/** The codes of each function's error table (the spec's reading, restated here to check the binding against). */
const specCodes: Record<keyof typeof es9plusAsn1Errors, StatusCode[]> = {
  // §5.6.1
  initiateAuthentication: [Codes.smdpAddressInvalid, Codes.ciPublicKeyUnsupported, Codes.svnUnsupported, Codes.smdpCertificateUnavailable],
  // §5.6.3
  authenticateClient: [
    Codes.eumCertificateInvalid, Codes.eumCertificateExpired, Codes.euiccCertificateInvalid, Codes.euiccCertificateExpired,
    Codes.euiccVerificationFailed, Codes.matchingIdRefused, Codes.eidMismatch, Codes.noEligibleProfile, Codes.ciPublicKeyUnknown,
    Codes.transactionIdUnknown, Codes.profileNotReleased, Codes.bppNotAvailable, Codes.downloadOrderExpired, Codes.downloadOrderRetriesExceeded,
  ],
  // §5.6.2
  getBoundProfilePackage: [
    Codes.euiccVerificationFailed, Codes.confirmationCodeMissing, Codes.confirmationCodeRefused, Codes.confirmationCodeRetriesExceeded,
    Codes.transactionIdUnknown, Codes.bppNotAvailable,
  ],
  // §5.6.5
  cancelSession: [Codes.transactionIdUnknown, Codes.euiccVerificationFailed, Codes.smdpOidInvalid],
};

const listed = (table: Asn1ErrorTable, code: StatusCode): boolean =>
  table.numbers.some(([entry]) => entry.subjectCode === code.subjectCode && entry.reasonCode === code.reasonCode);

describe('ES9+ ASN.1 error tables (§6.6)', () => {
  for (const [name, codes] of Object.entries(specCodes) as [keyof typeof es9plusAsn1Errors, StatusCode[]][]) {
    it(`${name}: every code of its table is mapped`, () => {
      const table = es9plusAsn1Errors[name];
      expect(codes.filter((code) => !listed(table, code)).map((code) => `${code.subjectCode} / ${code.reasonCode}`)).toEqual([]);
    });
  }

  it('answers the order refusals of AuthenticateClient with matchingIdRefused(6), not undefinedError(127)', () => {
    const number = (code: StatusCode) => asn1ErrorNumber(es9plusAsn1Errors.authenticateClient, new RspError(code));
    expect([Codes.bppNotAvailable, Codes.profileNotReleased, Codes.downloadOrderExpired, Codes.downloadOrderRetriesExceeded].map(number)).toEqual([6, 6, 6, 6]);
    expect(number(Codes.eidMismatch)).toBe(7);
    expect(number(Codes.functionExecutionError)).toBe(127);
  });
});
