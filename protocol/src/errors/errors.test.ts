import { describe, expect, it } from 'vitest';
import { Codes, ReasonCodes, SubjectCodes, findStatusCode } from './codes.js';
import { RspError, RemoteFunctionFailed, toRspError } from './RspError.js';
import { InvalidField, MissingField, TransactionIdUnknown, CertificateExpired } from './conditions.js';

describe('SGP.22 status code table', () => {
  it('has the function-specific pairs of the spec tables', () => {
    expect(Codes.transactionIdUnknown).toMatchObject({ subjectCode: '8.10.1', reasonCode: '3.9' });
    expect(Codes.smdpAddressInvalid).toMatchObject({ subjectCode: '8.8.1', reasonCode: '3.8' });
    expect(Codes.euiccVerificationFailed).toMatchObject({ subjectCode: '8.1', reasonCode: '6.1' });
    expect(Codes.confirmationCodeRetriesExceeded).toMatchObject({ subjectCode: '8.2.7', reasonCode: '6.4' });
    expect(Codes.eventAlreadyExists).toMatchObject({ subjectCode: '8.9.5', reasonCode: '3.3' });
    expect(Codes.ciPublicKeyUnknown).toMatchObject({ subjectCode: '8.11.1', reasonCode: '3.9' });
  });

  it('uses only subject and reason codes of the two tables, each pair once', () => {
    const subjects = new Set<string>(Object.values(SubjectCodes).map((entry) => entry.code));
    const reasons = new Set<string>(Object.values(ReasonCodes).map((entry) => entry.code));
    const pairs = new Set<string>();
    for (const entry of Object.values(Codes)) {
      expect(subjects.has(entry.subjectCode)).toBe(true);
      expect(reasons.has(entry.reasonCode)).toBe(true);
      pairs.add(`${entry.subjectCode}/${entry.reasonCode}`);
      expect(entry.meaning.length).toBeGreaterThan(0);
    }
    expect(pairs.size).toBe(Object.keys(Codes).length);
  });

  it('finds the entry of a received pair', () => {
    expect(findStatusCode({ subjectCode: '8.2.6', reasonCode: '3.8' })?.name).toBe('matchingIdRefused');
    expect(findStatusCode({ subjectCode: '9.9', reasonCode: '9.9' })).toBeUndefined();
  });
});

describe('RspError', () => {
  it('carries the codes, the subject identifier and the cause', () => {
    const cause = new Error('lookup failed');
    const error = new TransactionIdUnknown({ subjectIdentifier: '0102', cause });
    expect(error).toBeInstanceOf(RspError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TransactionIdUnknown');
    expect(error.statusCode).toEqual({ subjectCode: '8.10.1', reasonCode: '3.9' });
    expect(error.is(Codes.transactionIdUnknown)).toBe(true);
    expect(error.subjectIdentifier).toBe('0102');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('TransactionId unknown');
  });

  it('describes a bare code pair from the tables', () => {
    const error = new RspError({ subjectCode: '8.2.1', reasonCode: '3.9' });
    expect(error.message).toBe('Profile ICCID 8.2.1 / Conditions of use not satisfied: unknown 3.9');
  });

  it('names the field for format errors', () => {
    const invalid = new InvalidField('euiccInfo1', 'invalid base64');
    expect(invalid.message).toBe('euiccInfo1: invalid base64');
    expect(invalid.subjectIdentifier).toBe('euiccInfo1');
    expect(invalid.statusCode).toEqual({ subjectCode: '1.6', reasonCode: '2.1' });
    expect(new MissingField('transactionId').reasonCode).toBe('2.2');
  });

  it('keeps the status of a remote failure', () => {
    const remote = new RemoteFunctionFailed('Expired', Codes.downloadOrderExpired, undefined);
    expect(remote.status).toBe('Expired');
    expect(remote.message).toContain('8.8.5');
    expect(new CertificateExpired(Codes.eumCertificateExpired).reasonCode).toBe('6.3');
  });
});

describe('toRspError', () => {
  it('keeps RspErrors and wraps anything else as a generic execution error without its message', () => {
    const known = new TransactionIdUnknown();
    expect(toRspError(known)).toBe(known);
    const internal = new Error('database file locked at /var/lib/x');
    const wrapped = toRspError(internal);
    expect(wrapped.statusCode).toEqual({ subjectCode: '1.6', reasonCode: '4.2' });
    expect(wrapped.message).not.toContain('database');
    expect(wrapped.cause).toBe(internal);
    expect(toRspError('thrown string', Codes.eventUnknown).is(Codes.eventUnknown)).toBe(true);
  });
});
