import { describe, expect, it } from 'vitest';
import { Codes } from './codes.js';
import { CertificateExpired, ConfirmationCodeRejected } from './conditions.js';

describe('condition classes accept only their own codes (checked by the compiler)', () => {
  it('CertificateExpired takes 8.1.2 or 8.1.3 with 6.3', () => {
    expect(new CertificateExpired(Codes.euiccCertificateExpired).subjectCode).toBe('8.1.3');
    // @ts-expect-error an invalid-certificate code is not an expiry code
    expect(new CertificateExpired(Codes.euiccCertificateInvalid).reasonCode).toBe('6.1');
    // @ts-expect-error a transactionId code is not a confirmation code code
    expect(new ConfirmationCodeRejected(Codes.transactionIdUnknown).subjectCode).toBe('8.10.1');
  });
});
