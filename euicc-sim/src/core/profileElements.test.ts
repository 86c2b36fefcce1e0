// The subscriber identity PE-NonStandard (protocol/asn1/ZkesimIdentity.asn) at installation: kept with the
// profile when it reads as a token, the profile refused (PEStatus badValues) when it does not or comes twice.
import { describe, expect, it } from 'vitest';
import { ProfileElement, SUBSCRIBER_IDENTITY_ISSUER_ID, encodeSubscriberIdentityToken, iccidToBytes, iccidToProfileHeader, iccidDigits } from '@zkesim/protocol';
import { ProfileElementError, ProfileElementInstaller } from './profileElements.js';

const iccid = iccidDigits('8949449999990000012');
const header = ProfileElement.encode({
  header: { 'major-version': 2, 'minor-version': 3, iccid: iccidToProfileHeader(iccid), 'eUICC-Mandatory-services': {}, 'eUICC-Mandatory-GFSTEList': [] },
});
const end = ProfileElement.encode({ end: { 'end-header': { identification: 9 } } });
const token = encodeSubscriberIdentityToken({
  commitment: 5n, subscriberContract: `0x${'aa'.repeat(20)}`, chainId: 10, registry: `0x${'bb'.repeat(20)}`, identitySecret: new Uint8Array(32).fill(1),
});
const identityPe = (content: Uint8Array, identification = 8) =>
  ProfileElement.encode({ nonStandard: { 'nonStandard-header': { identification }, issuerID: SUBSCRIBER_IDENTITY_ISSUER_ID, content } });

function install(...elements: Uint8Array[]): ProfileElementInstaller {
  const installer = new ProfileElementInstaller(iccidToBytes(iccid), 1 << 20);
  for (const element of elements) installer.add(element);
  installer.finish();
  return installer;
}

describe('the subscriber identity PE-NonStandard at installation', () => {
  it('is kept with the profile, as received', () => {
    expect(install(header, identityPe(token), end).installed.nonStandardElements).toEqual([{ issuerID: SUBSCRIBER_IDENTITY_ISSUER_ID, content: token }]);
  });

  it('refuses content that is not a SubscriberIdentityToken, and a second identity', () => {
    for (const elements of [[header, identityPe(token.slice(0, -1)), end], [header, identityPe(token), identityPe(token, 10), end]]) {
      const error = (() => {
        try {
          install(...elements);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ProfileElementError);
      expect((error as ProfileElementError).status.status).toBe(3); // SAIP PEStatus badValues
    }
  });
});
