// The subscriber identity as a SAIP PE-NonStandard element (ZK identity layer, protocol/asn1/ZkesimIdentity.asn).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUBSCRIBER_IDENTITY_ISSUER_ID, decodeSubscriberIdentityToken, encodeSubscriberIdentityToken, iccidDigits, splitTlvs } from '@zkesim/protocol';
import { decodeProfileElements, personaliseProfile } from './personalise.js';

const directory = fileURLToPath(new URL('../../profiles/', import.meta.url));
const values = { iccid: iccidDigits('8949449999990000012'), imsi: '001010000000042', ki: new Uint8Array(16).fill(0x11), opc: new Uint8Array(16).fill(0x22) };
const token = encodeSubscriberIdentityToken({
  commitment: 42n, subscriberContract: `0x${'12'.repeat(20)}`, chainId: 31337, registry: `0x${'34'.repeat(20)}`, identitySecret: new Uint8Array(32).fill(9),
});

function identification(element: object): number | undefined {
  const body = Object.values(element)[0] as Record<string, { identification?: number }>;
  return Object.entries(body).find(([key]) => /-[hH]eader$/.test(key))?.[1].identification;
}

describe('personalisation with a subscriber identity', () => {
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.der'))) {
    it(`adds one non-mandated PE-NonStandard right before PE-End of ${file}, with a unique identification`, () => {
      const template = new Uint8Array(readFileSync(`${directory}${file}`));
      const plain = splitTlvs(personaliseProfile(template, values));
      const out = personaliseProfile(template, { ...values, subscriberIdentityToken: token });
      const tlvs = splitTlvs(out);
      // Everything else as without the identity, PE-End still last.
      expect([...tlvs.slice(0, -2), tlvs.at(-1)].map((tlv) => Buffer.from(tlv?.tlv ?? []).toString('hex'))).toEqual(plain.map((tlv) => Buffer.from(tlv.tlv).toString('hex')));
      const elements = decodeProfileElements(out);
      const added = elements.at(-2);
      expect(added !== undefined && 'nonStandard' in added).toBe(true);
      if (added === undefined || !('nonStandard' in added)) return;
      expect(added.nonStandard.issuerID).toBe(SUBSCRIBER_IDENTITY_ISSUER_ID);
      expect(added.nonStandard['nonStandard-header'].mandated).toBeUndefined();
      expect(decodeSubscriberIdentityToken(added.nonStandard.content).identitySecret).toEqual(new Uint8Array(32).fill(9));
      const ids = elements.map(identification).filter((id) => id !== undefined);
      expect(new Set(ids).size).toBe(ids.length);
    });
  }
});
