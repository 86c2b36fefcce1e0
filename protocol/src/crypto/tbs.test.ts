import { describe, expect, it } from 'vitest';
import {
  publicKeyDataObject,
  smdpSignTbs,
  euiccSignature2Tbs,
  rawSignatureOfDataObject,
  signatureDataObject,
  smdpSignature2Tbs,
} from './tbs.js';
import { hashConfirmationCode } from './confirmationCode.js';
import { CryptoInputError, SignatureEncodingError } from './errors.js';
import { hex, toHex } from './testing/fixtures.js';

const signature = hex('11'.repeat(32) + '22'.repeat(32));

describe('signature DOs and chained TBS (SGP.22 §5.6.3, §5.7.5)', () => {
  it('wraps and unwraps the 5F37 40 DO', () => {
    const dataObject = signatureDataObject(signature);
    expect(toHex(dataObject.subarray(0, 3))).toBe('5f3740');
    expect(toHex(rawSignatureOfDataObject(dataObject))).toBe(toHex(signature));
    expect(() => rawSignatureOfDataObject(dataObject.subarray(0, 66))).toThrow(SignatureEncodingError);
    expect(() => rawSignatureOfDataObject(hex('5f3840' + '00'.repeat(64)))).toThrow(SignatureEncodingError);
    expect(() => signatureDataObject(signature.subarray(1))).toThrow(CryptoInputError);
  });

  it('smdpSignature2 TBS = DER(smdpSigned2) ‖ 5F37 40 ‖ euiccSignature1', () => {
    const smdpSigned2 = hex('3015801001020304050607080910111213141516010100');
    expect(toHex(smdpSignature2Tbs(smdpSigned2, signature))).toBe(toHex(smdpSigned2) + '5f3740' + toHex(signature));
  });

  it('euiccSignature2 TBS = DER(euiccSigned2) ‖ 5F37 40 ‖ smdpSignature2', () => {
    const euiccSigned2 = hex('3003800101');
    expect(toHex(euiccSignature2Tbs(euiccSigned2, signature))).toBe('3003800101' + '5f3740' + toHex(signature));
  });
});

describe('smdpSign TBS of BF23 (SGP.22 §5.5.1)', () => {
  it('is the BF23 content before smdpSign followed by 5F49 41 otPK.EUICC.ECKA', () => {
    const point = hex('04' + 'ab'.repeat(64));
    expect(toHex(publicKeyDataObject(point))).toBe('5f4941' + toHex(point));
    const content = hex('820101 800101 a6098001888101108401aa');
    expect(toHex(smdpSignTbs(content, point))).toBe(toHex(content) + '5f4941' + toHex(point));
    expect(() => publicKeyDataObject(point.subarray(1))).toThrow(CryptoInputError);
  });
});

describe('hashConfirmationCode (SGP.22 §2.6: SHA-256(SHA-256(CC) ‖ transactionId))', () => {
  // Expected values computed independently with Python hashlib.
  it('matches the known answers', () => {
    expect(toHex(hashConfirmationCode('12345678', hex('A1B2C3D4E5F60718293A4B5C6D7E8F90')))).toBe(
      '844ad779de7f8b1a7ebd7868a2afd00a1fac6159805188e68da686562af4441e',
    );
    expect(toHex(hashConfirmationCode('Ünï', hex('01')))).toBe(
      '2b61e843125d103f7e7b017eee22b733fa3cba1ad890164a03de6feae9e2462c',
    );
  });

  it('rejects a transactionId outside 1..16 bytes', () => {
    expect(() => hashConfirmationCode('1', new Uint8Array(0))).toThrow(CryptoInputError);
    expect(() => hashConfirmationCode('1', new Uint8Array(17))).toThrow(CryptoInputError);
  });
});
