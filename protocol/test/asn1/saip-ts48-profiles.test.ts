// SAIP v3.3.1: every ProfileElement of the GSMA TS.48 test profiles decodes and re-encodes byte for byte.
import { describe, expect, it } from 'vitest';
import { ProfileElement, readTlv, type ProfileHeader } from '../../src/index.js';
import { TS48_PROFILES, sharedFile, toHex } from '../support.js';

describe.each(TS48_PROFILES)('TS.48 profile %s', (file) => {
  const upp = sharedFile(`spec/upp/${file}`);

  it('re-encodes every profile element byte-identically', () => {
    let offset = 0;
    const kinds: string[] = [];
    while (offset < upp.length) {
      const element = readTlv(upp, offset);
      const value = ProfileElement.decode(element.tlv);
      kinds.push(Object.keys(value)[0]!);
      expect(toHex(ProfileElement.encode(value))).toBe(toHex(element.tlv));
      offset = element.end;
    }
    expect(offset).toBe(upp.length);
    // SAIP §8.1: the header comes first and the end element last.
    expect(kinds[0]).toBe('header');
    expect(kinds.at(-1)).toBe('end');
    expect(kinds).toContain('akaParameter');
  });

  it('decodes the profile header fields', () => {
    const first = ProfileElement.decode(readTlv(upp, 0).tlv);
    expect('header' in first).toBe(true);
    const header = (first as { header: ProfileHeader }).header;
    expect(header['major-version']).toBe(2);
    expect(header.iccid).toHaveLength(10);
  });
});
