import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BspSession } from './segment.js';
import { protectProfileElements, unprotectSegments } from './chunks.js';
import { BspMacError, BspStructureError } from '../errors.js';

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const keys = fc.record({ sEnc: key16, sMac: key16, initialMcv: key16 });

describe('BSP properties (bounded)', () => {
  it('protect then unprotect returns any UPP, in ≤1020-byte segments', () => {
    fc.assert(
      fc.property(keys, fc.uint8Array({ maxLength: 3000 }), (sessionKeys, upp) => {
        const segments = protectProfileElements(new BspSession(sessionKeys), upp);
        for (const segment of segments) expect(segment.length).toBeLessThanOrEqual(1020);
        expect(Buffer.from(unprotectSegments(new BspSession(sessionKeys), segments, 0x86)).equals(Buffer.from(upp))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('any single flipped bit in a segment is rejected and leaves the receiver unchanged', () => {
    fc.assert(
      fc.property(keys, fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (sessionKeys, data, at, bit) => {
        const [segment] = protectProfileElements(new BspSession(sessionKeys), data);
        if (segment === undefined) throw new Error('no segment');
        const tampered = segment.slice();
        const index = at % tampered.length;
        tampered[index] = (tampered[index] ?? 0) ^ (1 << bit);
        const receiver = new BspSession(sessionKeys);
        const headerLength = (segment[1] ?? 0) < 0x80 ? 2 : segment[1] === 0x81 ? 3 : 4;
        let failure: unknown;
        try {
          receiver.unprotect(tampered);
        } catch (error) {
          failure = error;
        }
        // A flipped tag or length byte may be caught as a structure error before the MAC is checked.
        if (index >= headerLength) expect(failure).toBeInstanceOf(BspMacError);
        else expect(failure instanceof BspMacError || failure instanceof BspStructureError).toBe(true);
        expect(receiver.nextCounter).toBe(1);
        expect(Buffer.from(receiver.unprotect(segment).plaintext).equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
