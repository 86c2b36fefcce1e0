// The checked-in generated codecs must be exactly what the compiler makes from the module text.
import { describe, expect, it } from 'vitest';
import { generate, staleFiles } from '../../tools/asn1c/main.js';

describe('asn1c generated output', () => {
  it('is up to date with protocol/asn1 (run `npm run asn1:generate` when this fails)', () => {
    expect(staleFiles(generate())).toEqual([]);
  });
});
