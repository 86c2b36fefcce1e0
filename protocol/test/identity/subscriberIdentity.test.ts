// The subscriber identity token (our module ZkesimIdentity.asn) through the generated codecs.
import { describe, expect, it } from 'vitest';
import {
  GET_SUBSCRIBER_IDENTITY_TAG, GetSubscriberIdentityRequest, GetSubscriberIdentityResponse, SUBSCRIBER_IDENTITY_ISSUER_ID,
  SubscriberIdentityInvalid, decodeSubscriberIdentityToken, encodeSubscriberIdentityToken, toHex, viewSubscriberIdentity,
} from '../../src/index.js';

const input = {
  commitment: 12345678901234567890123456789n,
  subscriberContract: '0x' + '11'.repeat(20),
  chainId: 31337,
  registry: '0x' + 'ab'.repeat(20),
  identitySecret: new Uint8Array(32).fill(7),
};

describe('SubscriberIdentityToken', () => {
  it('round-trips through DER and shows the public part in display form', () => {
    const token = decodeSubscriberIdentityToken(encodeSubscriberIdentityToken(input));
    expect(token.identitySecret).toEqual(input.identitySecret);
    expect(viewSubscriberIdentity(token.identity)).toEqual({
      version: 1, commitment: '12345678901234567890123456789', subscriberContract: input.subscriberContract, chainId: 31337, registry: input.registry,
    });
  });

  it('refuses values that cannot be a Semaphore identity on chain', () => {
    expect(() => encodeSubscriberIdentityToken({ ...input, commitment: 2n ** 254n })).toThrow(SubscriberIdentityInvalid);
    expect(() => encodeSubscriberIdentityToken({ ...input, subscriberContract: '0x1234' })).toThrow(/subscriberContract/);
    expect(() => encodeSubscriberIdentityToken({ ...input, chainId: 0 })).toThrow(/chainId/);
    expect(() => encodeSubscriberIdentityToken({ ...input, identitySecret: new Uint8Array(31) })).toThrow(/identitySecret/);
  });

  it('refuses content that is not a version 1 token', () => {
    expect(() => decodeSubscriberIdentityToken(Uint8Array.of(0x30, 0x00))).toThrow(SubscriberIdentityInvalid);
    const der = encodeSubscriberIdentityToken(input);
    const v2 = Uint8Array.from(der);
    // SEQUENCE { [0] SEQUENCE { [0] INTEGER 1 ... } }: the version byte is at offset 6.
    expect(v2[6]).toBe(1);
    v2[6] = 2;
    expect(() => decodeSubscriberIdentityToken(v2)).toThrow(SubscriberIdentityInvalid);
  });
});

describe('the vendor ES10 extension', () => {
  it('uses the PRIVATE-class tag FA, outside the BF.. tags of SGP.22 ES10', () => {
    expect(GetSubscriberIdentityRequest.encode({})[0]).toBe(GET_SUBSCRIBER_IDENTITY_TAG);
    expect(toHex(GetSubscriberIdentityRequest.encode({ includeSecret: true }), 'upper')).toBe('FA038001FF');
    expect(GetSubscriberIdentityResponse.encode({ identityError: 1 })[0]).toBe(0xfa);
    expect(SUBSCRIBER_IDENTITY_ISSUER_ID).toBe('1.3.6.1.4.1.32473.1.1');
  });
});
