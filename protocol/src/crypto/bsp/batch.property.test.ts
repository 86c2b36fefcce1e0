// The BSP's batched passes (one CMAC pass for a run of segments, one CBC pass to decrypt them, the ICV folded
// into the encryption pass) against a plain reading of SGP.22 v2.2.2 §2.6.4.4 written here with a fresh
// node:crypto context per operation, and batch unprotect against unprotect called segment by segment.
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BspSession } from './segment.js';
import { AesCmac, macChainLayout } from './mac.js';
import { Aes128 } from './aes.js';
import { CryptoInputError } from '../errors.js';
import { protectProfileElements, protectStoreMetadata, splitIntoChunks, unprotectSegments } from './chunks.js';

const aes = (mode: 'aes-128-ecb' | 'aes-128-cbc', key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Buffer => {
  const cipher = createCipheriv(mode, key, iv).setAutoPadding(false);
  return Buffer.from(Buffer.concat([cipher.update(data), cipher.final()]));
};

/** RFC 4493 AES-CMAC, straight from §2.3 and §2.4. */
function referenceCmac(key: Uint8Array, message: Uint8Array): Buffer {
  const double = (block: Buffer): Buffer => {
    const out = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 1) out[i] = ((block[i] ?? 0) << 1) | ((block[i + 1] ?? 0) >> 7);
    if ((block[0] ?? 0) & 0x80) out[15] = (out[15] ?? 0) ^ 0x87;
    return out;
  };
  const k1 = double(aes('aes-128-ecb', key, null, Buffer.alloc(16)));
  const complete = message.length > 0 && message.length % 16 === 0;
  const padded = Buffer.alloc(Math.max(1, Math.ceil(message.length / 16)) * 16);
  padded.set(message);
  if (!complete) padded[message.length] = 0x80;
  const subkey = complete ? k1 : double(k1);
  for (let i = 0; i < 16; i += 1) padded[padded.length - 16 + i] = (padded[padded.length - 16 + i] ?? 0) ^ (subkey[i] ?? 0);
  return aes('aes-128-cbc', key, Buffer.alloc(16), padded).subarray(-16);
}

/** §2.6.4.4 segment by segment: ICV = AES(counter), CBC with `80 00..` padding, C-MAC over MCV ‖ header ‖ payload. */
function referenceProtect(keys: { sEnc: Uint8Array; sMac: Uint8Array; initialMcv: Uint8Array }, chunks: Uint8Array[], encrypt: boolean): Buffer[] {
  return referenceProtectSegments(keys, chunks.map((chunk) => ({ tag: encrypt ? 0x86 : 0x88, chunk })));
}

/** referenceProtect of segments of any tags in a row: one counter and MAC chaining value through all of them. */
function referenceProtectSegments(keys: { sEnc: Uint8Array; sMac: Uint8Array; initialMcv: Uint8Array }, items: { tag: number; chunk: Uint8Array }[]): Buffer[] {
  let mcv: Buffer = Buffer.from(keys.initialMcv);
  return items.map(({ tag, chunk }, i) => {
    const counter = Buffer.alloc(16);
    counter.writeUInt32BE(i + 1, 12);
    const padded = Buffer.alloc((Math.floor(chunk.length / 16) + 1) * 16);
    padded.set(chunk);
    padded[chunk.length] = 0x80;
    const payload = tag !== 0x88 ? aes('aes-128-cbc', keys.sEnc, aes('aes-128-ecb', keys.sEnc, null, counter), padded) : Buffer.from(chunk);
    const length = payload.length + 8;
    const header = Buffer.from([tag, ...(length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff])]);
    mcv = referenceCmac(keys.sMac, Buffer.concat([mcv, header, payload]));
    return Buffer.concat([header, payload, mcv.subarray(0, 8)]);
  });
}

/**
 * Flips `bit` in one byte of the segment `at` chooses, or in none (two of every segments.length + 2 values of `at`).
 * Returns the index it chose (segments.length or more: none).
 */
function tamper(segments: Uint8Array[], at: number, bit: number): number {
  const bad = at % (segments.length + 2);
  if (bad >= segments.length) return bad;
  const segment = segments[bad] as Uint8Array;
  const index = (at >> 4) % segment.length;
  segment[index] = (segment[index] ?? 0) ^ bit;
  return bad;
}

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const keys = fc.record({ sEnc: key16, sMac: key16, initialMcv: key16 });

describe('BSP batched passes (bounded)', () => {
  it('protect gives the bytes of the segment-by-segment reference, for 86 and 88 runs', () => {
    fc.assert(
      fc.property(keys, fc.uint8Array({ maxLength: 4000 }), (sessionKeys, data) => {
        const encrypted = protectProfileElements(new BspSession(sessionKeys), data).map((s) => Buffer.from(s).toString('hex'));
        expect(encrypted).toEqual(referenceProtect(sessionKeys, splitIntoChunks(data, 1007), true).map((s) => s.toString('hex')));
        const macOnly = protectStoreMetadata(new BspSession(sessionKeys), data).map((s) => Buffer.from(s).toString('hex'));
        expect(macOnly).toEqual(referenceProtect(sessionKeys, splitIntoChunks(data, 1008), false).map((s) => s.toString('hex')));
      }),
      { numRuns: 60 },
    );
  });

  it('one session protecting runs in a row (87, 88, 86 of any sizes up to a whole segment) gives the reference bytes', () => {
    const run = fc.record({
      tag: fc.constantFrom(0x86, 0x87, 0x88),
      chunks: fc.array(fc.oneof(fc.uint8Array({ maxLength: 140 }), fc.uint8Array({ minLength: 900, maxLength: 1007 })), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(keys, fc.array(run, { minLength: 1, maxLength: 5 }), (sessionKeys, runs) => {
        const session = new BspSession(sessionKeys);
        const protectedSegments = runs.flatMap(({ tag, chunks }) =>
          tag === 0x88 ? session.protectMacOnlyAll(tag, chunks) : session.protectEncryptedAll(tag, chunks),
        );
        const expected = referenceProtectSegments(sessionKeys, runs.flatMap(({ tag, chunks }) => chunks.map((chunk) => ({ tag, chunk }))));
        expect(protectedSegments.map((segment) => Buffer.from(segment).toString('hex'))).toEqual(expected.map((segment) => segment.toString('hex')));
        expect(session.nextCounter).toBe(expected.length + 1);
      }),
      { numRuns: 150 },
    );
  });

  it('batch unprotect of a run with one damaged segment fails like unprotect in a loop, and leaves the same session', () => {
    fc.assert(
      fc.property(keys, fc.uint8Array({ minLength: 1, maxLength: 4000 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (sessionKeys, data, at, bit) => {
        const segments = protectProfileElements(new BspSession(sessionKeys), data);
        const bad = at % (segments.length + 1);
        const sent = segments.map((segment, i) => {
          if (i !== bad) return segment;
          const copy = segment.slice();
          const index = (at >> 3) % copy.length;
          copy[index] = (copy[index] ?? 0) ^ (1 << bit);
          return copy;
        });
        const looped = new BspSession(sessionKeys);
        const loopedPlaintexts: string[] = [];
        let loopedError: unknown;
        try {
          for (const segment of sent) {
            loopedPlaintexts.push(Buffer.from(looped.unprotect(segment).plaintext).toString('hex'));
          }
        } catch (error) {
          loopedError = error;
        }
        const batched = new BspSession(sessionKeys);
        let batchedError: unknown;
        let batchedPlaintexts: string[] = [];
        try {
          batchedPlaintexts = batched.unprotectAll(sent).map((s) => Buffer.from(s.plaintext).toString('hex'));
        } catch (error) {
          batchedError = error;
        }
        expect((batchedError as Error | undefined)?.message).toEqual((loopedError as Error | undefined)?.message);
        expect(batched.nextCounter).toBe(looped.nextCounter);
        if (loopedError === undefined) expect(batchedPlaintexts).toEqual(loopedPlaintexts);
        // Both sessions go on the same way with the segments after the one they stopped at.
        const rest = segments.slice(looped.nextCounter - 1);
        if (rest.length > 0) expect(Buffer.from(unprotectSegments(batched, rest, 0x86))).toEqual(Buffer.from(unprotectSegments(looped, rest, 0x86)));
      }),
      { numRuns: 120 },
    );
  });

  it('macChain gives CMAC(MAC_(i-1) ‖ m_i) for messages of any length (whole blocks, partial blocks); refuses an empty one', () => {
    expect(() => new AesCmac(new Uint8Array(16)).macChain(new Uint8Array(16), [Uint8Array.of(1), new Uint8Array(0)])).toThrow(CryptoInputError);
    fc.assert(
      fc.property(key16, key16, fc.array(fc.uint8Array({ minLength: 1, maxLength: 70 }), { maxLength: 6 }), (key, mcv, messages) => {
        let chaining: Buffer = Buffer.from(mcv);
        const expected = messages.map((message) => {
          chaining = referenceCmac(key, Buffer.concat([chaining, message]));
          return chaining.toString('hex');
        });
        const copies = messages.map((message) => message.slice());
        expect(new AesCmac(key).macChain(mcv, messages).map((mac) => Buffer.from(mac).toString('hex'))).toEqual(expected);
        expect(messages).toEqual(copies);
        if (messages.length > 0) {
          // A layout over a buffer that does not start on a 4-byte boundary takes the byte-by-byte path.
          const aligned = macChainLayout(messages.map((message) => message.length));
          const unaligned = { ...aligned, data: new Uint8Array(aligned.data.length + 1).fill(0xa5).subarray(1) };
          messages.forEach((message, i) => unaligned.data.set(message, aligned.offsets[i]));
          expect(new AesCmac(key).macChainIn(mcv, unaligned).map((mac) => Buffer.from(mac).toString('hex'))).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('protect of short 86 and 88 segments (header + payload on and off block boundaries) matches the reference', () => {
    fc.assert(
      fc.property(keys, fc.array(fc.uint8Array({ maxLength: 140 }), { minLength: 1, maxLength: 5 }), (sessionKeys, chunks) => {
        const encrypted = new BspSession(sessionKeys).protectEncryptedAll(0x86, chunks).map((s) => Buffer.from(s).toString('hex'));
        expect(encrypted).toEqual(referenceProtect(sessionKeys, chunks, true).map((s) => s.toString('hex')));
        const macOnly = new BspSession(sessionKeys).protectMacOnlyAll(0x88, chunks).map((s) => Buffer.from(s).toString('hex'));
        expect(macOnly).toEqual(referenceProtect(sessionKeys, chunks, false).map((s) => s.toString('hex')));
      }),
      { numRuns: 150 },
    );
  });

  it('Aes128 gives the same single blocks, ECB and CBC results in any order of use (contexts made on first use)', () => {
    fc.assert(
      fc.property(key16, key16, fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 8 }), (key, iv, order) => {
        const context = new Aes128(key);
        for (const step of order) {
          const data = Buffer.alloc(32, step + 1);
          const ecb = aes('aes-128-ecb', key, null, data);
          const cbc = aes('aes-128-cbc', key, iv, data);
          if (step === 0) expect(Buffer.from(context.encryptBlock(data.subarray(0, 16)))).toEqual(ecb.subarray(0, 16));
          if (step === 1) expect(Buffer.from(context.ecbEncrypt(data))).toEqual(ecb);
          if (step === 2) expect(Buffer.from(context.cbcEncrypt(iv, data))).toEqual(cbc);
          // The caller's input is not touched (Buffer.prototype.slice would be a view, not a copy).
          expect(data).toEqual(Buffer.alloc(32, step + 1));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('batch unprotect of a mixed run (87, 88 and 86 segments of any sizes, one damaged or not) equals unprotect in a loop', () => {
    const chunk = fc.uint8Array({ maxLength: 300 });
    fc.assert(
      fc.property(keys, chunk, fc.array(chunk, { maxLength: 3 }), fc.array(chunk, { minLength: 1, maxLength: 4 }), fc.nat(), (sessionKeys, command, metadata, elements, at) => {
        const sender = new BspSession(sessionKeys);
        const segments = [
          sender.protectEncrypted(0x87, command),
          ...sender.protectMacOnlyAll(0x88, metadata),
          ...sender.protectEncryptedAll(0x86, elements),
        ].map((segment) => segment.slice());
        const bad = tamper(segments, at, 0x01);
        const outcome = (run: (session: BspSession) => string[]) => {
          const session = new BspSession(sessionKeys);
          try {
            return { plaintexts: run(session), counter: session.nextCounter };
          } catch (error) {
            return { error: (error as Error).message, counter: session.nextCounter };
          }
        };
        const looped = outcome((session) => segments.map((segment) => Buffer.from(session.unprotect(segment).plaintext).toString('hex')));
        const batched = outcome((session) => session.unprotectAll(segments).map((opened) => Buffer.from(opened.plaintext).toString('hex')));
        expect(batched).toEqual(looped);
        if (bad >= segments.length) expect(batched.plaintexts).toEqual([command, ...metadata, ...elements].map((p) => Buffer.from(p).toString('hex')));
      }),
      { numRuns: 150 },
    );
  });
  it('unprotectJoined gives the concatenated plaintexts of unprotect in a loop, the same error and session, and leaves the segments as they were', () => {
    const chunk = fc.uint8Array({ maxLength: 1100 });
    fc.assert(
      fc.property(keys, fc.array(chunk, { maxLength: 3 }), fc.array(chunk, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.nat(), (sessionKeys, metadata, elements, mixed, at) => {
        const sender = new BspSession(sessionKeys);
        // Elements of 0..1100 bytes: segments of 2, 3 and 4 header bytes, runs of one CBC pass or several.
        const segments = [
          ...(mixed ? sender.protectMacOnlyAll(0x88, metadata) : []),
          ...sender.protectEncryptedAll(0x86, elements.flatMap((element) => splitIntoChunks(element, 1007))),
        ].map((segment) => segment.slice());
        tamper(segments, at, 0x40);
        const sent = segments.map((segment) => Buffer.from(segment).toString('hex'));
        const outcome = (run: (session: BspSession) => string) => {
          const session = new BspSession(sessionKeys);
          try {
            return { plaintext: run(session), counter: session.nextCounter };
          } catch (error) {
            return { error: (error as Error).message, counter: session.nextCounter };
          }
        };
        const looped = outcome((session) => segments.map((segment) => Buffer.from(session.unprotect(segment).plaintext).toString('hex')).join(''));
        const joined = outcome((session) => {
          const plaintext = session.unprotectJoined(segments);
          const copy = Buffer.from(plaintext).toString('hex');
          plaintext.fill(0xee); // the result is the caller's: writing to it changes no segment
          return copy;
        });
        expect(joined).toEqual(looped);
        expect(segments.map((segment) => Buffer.from(segment).toString('hex'))).toEqual(sent);
      }),
      { numRuns: 150 },
    );
  });
});
