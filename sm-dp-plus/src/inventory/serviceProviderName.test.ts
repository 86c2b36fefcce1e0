import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { iccidDigits } from '@zkesim/protocol';
import { personaliseProfile, templateServiceProviderName } from './personalise.js';
import { nameFromSpnFile, spnFileContent } from './serviceProviderName.js';

const template = new Uint8Array(readFileSync(fileURLToPath(new URL('../../profiles/TS48V1-A-UNIQUE.der', import.meta.url))));

describe('EF.SPN (TS 31.102 §4.2.12) and the StoreMetadata serviceProviderName', () => {
  it('reads the TS.48 template name from the EF.SPN fill pattern (default alphabet, "_" is 0x11)', () => {
    expect(templateServiceProviderName(template)).toBe('GSMA_TEST');
  });

  it('encodes default-alphabet names byte per byte and others as 0x80 UCS2, padded to 17 bytes', () => {
    expect(Buffer.from(spnFileContent('GSMA_TEST')).toString('hex')).toBe('0147534d411154455354ffffffffffffff');
    expect(nameFromSpnFile(spnFileContent('Café'))).toBe('Café');
    expect(spnFileContent('Café')[1]).toBe(0x80);
    expect(() => spnFileContent('a name far too long for EF.SPN')).toThrow(RangeError);
  });

  it('writes the name into the personalised profile', () => {
    const out = personaliseProfile(template, {
      iccid: iccidDigits('8949449999990000012'),
      imsi: '001010000000001',
      ki: new Uint8Array(16),
      opc: new Uint8Array(16),
      serviceProviderName: 'zkesim Mobile',
    });
    expect(templateServiceProviderName(out)).toBe('zkesim Mobile');
  });
});
