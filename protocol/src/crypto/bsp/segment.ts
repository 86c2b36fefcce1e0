// BSP segment protection and verification (SGP.22 v2.2.2 §2.6.4.4 and §5.5, called SCP03t in v2;
// after GlobalPlatform SCP03). One BspSession per direction: the SM-DP+ protects, the eUICC unprotects; both
// hold the same keys, the counter of the next segment, and the MAC chaining value.
import { secretsEqual } from '../../bytes.js';
import { BspStructureError, BspMacError, CryptoInputError, assertBytes } from '../errors.js';
import { bspEncryptWith, bspIcvs, paddedLength, unpadBsp } from './cipher.js';
import { AesCmac, cMacLength } from './mac.js';
import { Aes128 } from './aes.js';
import { deriveBspKeys, type BspKdfInput, type BspKeys } from './kdf.js';

/** `86`: profile element segments (sequenceOf86), encrypted. */
export const tagProfileElementSegment = 0x86;
/** `87`: ConfigureISDP and ReplaceSessionKeys (firstSequenceOf87, secondSequenceOf87), encrypted. */
export const tagEncryptedCommandSegment = 0x87;
/** `88`: StoreMetadata (sequenceOf88), MAC only. */
export const tagMacOnlySegment = 0x88;

export type BspEncryptedTag = typeof tagProfileElementSegment | typeof tagEncryptedCommandSegment;
export type BspMacOnlyTag = typeof tagMacOnlySegment;
export type BspSegmentTag = BspEncryptedTag | BspMacOnlyTag;

/**
 * §2.6.4.4: a segment is at most 1020 bytes including tag, length and C-MAC. With the length `82 03 F8`
 * the payload is at most 1008 bytes: 1007 plaintext bytes plus the mandatory padding for an encrypted
 * segment (a 1008-byte chunk would overflow once padded), 1008 plaintext bytes for a MAC-only one.
 */
export const maxSegmentLength = 1020;
export const maxEncryptedPlaintextLength = 1007;
export const maxMacOnlyPlaintextLength = 1008;

/** The plaintext of a verified segment. */
export interface UnprotectedSegment {
  tag: BspSegmentTag;
  plaintext: Uint8Array;
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  if (length < 0x100) return [0x81, length];
  return [0x82, length >> 8, length & 0xff];
}

function parseHeader(segment: Uint8Array): { tag: BspSegmentTag; headerLength: number } {
  const tag = segment[0];
  if (tag !== tagProfileElementSegment && tag !== tagEncryptedCommandSegment && tag !== tagMacOnlySegment) {
    throw new BspStructureError(`BSP segment: tag ${tag?.toString(16) ?? 'missing'} is not 86, 87 or 88`);
  }
  const first = segment[1];
  let length: number;
  let headerLength: number;
  // SPEC-AMBIGUITY: a non-minimal length form (e.g. 81 05) is accepted as sent, since the C-MAC covers
  // those bytes; a segment above 1020 bytes is refused even though the MAC would verify (pySim's
  // osmo-smdpp sends 1036-byte 86 segments; a card with a 1020-byte buffer would fail on them).
  if (first === undefined) throw new BspStructureError('BSP segment: truncated length');
  if (first < 0x80) [length, headerLength] = [first, 2];
  else if (first === 0x81 && segment.length >= 3) [length, headerLength] = [segment[2] ?? 0, 3];
  else if (first === 0x82 && segment.length >= 4) [length, headerLength] = [((segment[2] ?? 0) << 8) | (segment[3] ?? 0), 4];
  else throw new BspStructureError(`BSP segment: unsupported or truncated length ${first.toString(16)}`);
  if (headerLength + length !== segment.length) {
    throw new BspStructureError(`BSP segment: length ${length} does not match the ${segment.length - headerLength} bytes received`);
  }
  if (segment.length > maxSegmentLength) throw new BspStructureError(`BSP segment: ${segment.length} bytes exceeds 1020`);
  if (length < cMacLength) throw new BspStructureError('BSP segment: shorter than its C-MAC');
  return { tag, headerLength };
}

/** Keys, counter and MAC chaining value of one BSP direction. */
export class BspSession {
  #sEnc: Aes128;
  #sMac: AesCmac;
  #mcv: Uint8Array;
  #counter = 1;

  constructor(keys: BspKeys) {
    assertBytes(keys.sEnc, 'sEnc', 16);
    assertBytes(keys.sMac, 'sMac', 16);
    assertBytes(keys.initialMcv, 'initialMcv', 16);
    this.#sEnc = new Aes128(keys.sEnc);
    this.#sMac = new AesCmac(keys.sMac);
    this.#mcv = keys.initialMcv.slice();
  }

  /** A session on the keys derived from the ECKA shared secret (§2.6.4.2). */
  static derive(input: BspKdfInput): BspSession {
    return new BspSession(deriveBspKeys(input));
  }

  /** The counter the next segment uses (1 after key setup or ReplaceSessionKeys). */
  get nextCounter(): number {
    return this.#counter;
  }

  /**
   * §5.5.3 ReplaceSessionKeys: from now on PPK-ENC / PPK-MAC with the given initial MCV, and the
   * counter restarts at 1.
   */
  replaceSessionKeys(ppkEnc: Uint8Array, ppkMac: Uint8Array, initialMcv: Uint8Array): void {
    const next = new BspSession({ sEnc: ppkEnc, sMac: ppkMac, initialMcv });
    this.#sEnc = next.#sEnc;
    this.#sMac = next.#sMac;
    this.#mcv = next.#mcv;
    this.#counter = 1;
  }

  /** Encrypts and MACs one `86` or `87` segment (≤ 1007 plaintext bytes). */
  protectEncrypted(tag: BspEncryptedTag, plaintext: Uint8Array): Uint8Array {
    return this.protectEncryptedAll(tag, [plaintext])[0] as Uint8Array;
  }

  /**
   * Encrypts and MACs consecutive `86` or `87` segments, as protectEncrypted one after the other would:
   * one CBC pass per segment (its ICV included, bspEncrypt), one CMAC pass for all the C-MACs (macChain).
   */
  protectEncryptedAll(tag: BspEncryptedTag, plaintexts: readonly Uint8Array[]): Uint8Array[] {
    if (tag !== tagProfileElementSegment && tag !== tagEncryptedCommandSegment) {
      throw new CryptoInputError(`tag: ${String(tag)} is not an encrypted segment tag (86, 87)`);
    }
    for (const plaintext of plaintexts) {
      assertBytes(plaintext, 'plaintext');
      if (plaintext.length > maxEncryptedPlaintextLength) {
        throw new CryptoInputError(`plaintext: ${plaintext.length} bytes exceeds ${maxEncryptedPlaintextLength} per encrypted segment`);
      }
    }
    const scratch = new Uint8Array(1024 + 16);
    return this.#sealAll(
      tag,
      plaintexts.map((plaintext) => paddedLength(plaintext.length)),
      (payload, i) => payload.set(bspEncryptWith(this.#sEnc, this.#counter + i, plaintexts[i] as Uint8Array, scratch)),
    );
  }

  /** MACs one `88` segment (≤ 1008 plaintext bytes); the counter still advances (§2.6.4.4). */
  protectMacOnly(tag: BspMacOnlyTag, plaintext: Uint8Array): Uint8Array {
    return this.protectMacOnlyAll(tag, [plaintext])[0] as Uint8Array;
  }

  /** MACs consecutive `88` segments, as protectMacOnly one after the other would, in one CMAC pass. */
  protectMacOnlyAll(tag: BspMacOnlyTag, plaintexts: readonly Uint8Array[]): Uint8Array[] {
    if (tag !== tagMacOnlySegment) throw new CryptoInputError(`tag: ${String(tag)} is not the MAC-only segment tag (88)`);
    for (const plaintext of plaintexts) {
      assertBytes(plaintext, 'plaintext');
      if (plaintext.length > maxMacOnlyPlaintextLength) {
        throw new CryptoInputError(`plaintext: ${plaintext.length} bytes exceeds ${maxMacOnlyPlaintextLength} per MAC-only segment`);
      }
    }
    return this.#sealAll(
      tag,
      plaintexts.map((plaintext) => plaintext.length),
      (payload, i) => payload.set(plaintexts[i] as Uint8Array),
    );
  }

  /**
   * Verifies one received segment (the complete `86`/`87`/`88` TLV), MAC first, then decrypts it and
   * strips the padding. Throws BspStructureError or BspMacError; on failure the session is unchanged.
   */
  unprotect(segment: Uint8Array): UnprotectedSegment {
    return this.unprotectAll([segment])[0] as UnprotectedSegment;
  }

  /**
   * Verifies and opens consecutive received segments with the result of unprotect called on each in turn:
   * the same plaintexts, and for the first segment that fails (wrong tag when `expectedTag` is given,
   * structure, C-MAC, padding) the same error, with the session advanced past the segments before it. One
   * CMAC pass checks all C-MACs, one ECB pass gives the ICVs and one CBC pass decrypts all ciphertexts.
   */
  unprotectAll(segments: readonly Uint8Array[], expectedTag?: BspSegmentTag): UnprotectedSegment[] {
    let failure: Error | undefined;
    const parsed: { tag: BspSegmentTag; headerLength: number; segment: Uint8Array }[] = [];
    for (const segment of segments) {
      try {
        if (expectedTag !== undefined && segment[0] !== expectedTag) {
          throw new BspStructureError(`BSP segment: tag ${segment[0]?.toString(16) ?? 'missing'} where ${expectedTag.toString(16)} is expected`);
        }
        assertBytes(segment, 'segment');
        parsed.push({ ...parseHeader(segment), segment });
      } catch (error) {
        failure = error as Error;
        break;
      }
    }
    const macs = this.#sMac.macChain(this.#mcv, parsed.map(({ segment }) => segment.subarray(0, segment.length - cMacLength)));
    let verified = parsed.findIndex(({ segment }, i) => !secretsEqual((macs[i] as Uint8Array).subarray(0, cMacLength), segment.subarray(segment.length - cMacLength)));
    if (verified >= 0) {
      failure = new BspMacError(`BSP segment ${(parsed[verified]?.tag ?? 0).toString(16)} (counter ${this.#counter + verified}): C-MAC does not verify`);
    } else verified = parsed.length;
    const opened = this.#openVerified(parsed.slice(0, verified));
    if (opened.length < verified) failure = opened.failure;
    if (opened.length > 0) {
      this.#mcv = macs[opened.length - 1] as Uint8Array;
      this.#counter += opened.length;
    }
    if (failure !== undefined) throw failure;
    return opened;
  }

  /** Decrypts the verified segments (all ciphertexts in one CBC pass) and strips their padding; stops at a bad padding. */
  #openVerified(segments: readonly { tag: BspSegmentTag; headerLength: number; segment: Uint8Array }[]): UnprotectedSegment[] & { failure?: Error } {
    const payloads = segments.map(({ headerLength, segment }) => segment.subarray(headerLength, segment.length - cMacLength));
    const encrypted = segments.flatMap(({ tag }, i) => (tag === tagMacOnlySegment ? [] : [i]));
    const icvs = encrypted.length === 0 ? new Uint8Array(0) : bspIcvs(this.#sEnc, this.#counter, segments.length);
    const icv = (i: number) => icvs.subarray(i * 16, i * 16 + 16);
    const ciphertext = new Uint8Array(encrypted.reduce((sum, i) => sum + (payloads[i] as Uint8Array).length, 0));
    let offset = 0;
    for (const i of encrypted) {
      const payload = payloads[i] as Uint8Array;
      if (payload.length === 0 || payload.length % 16 !== 0) break;
      ciphertext.set(payload, offset);
      offset += payload.length;
    }
    // CBC over the concatenation chains each segment's first block from the previous segment's last
    // ciphertext block instead of its ICV: XOR that block and the ICV back into the first plaintext block.
    const padded = offset === 0 ? ciphertext : this.#sEnc.cbcDecrypt(icv(encrypted[0] ?? 0), ciphertext.subarray(0, offset));
    const opened: UnprotectedSegment[] & { failure?: Error } = [];
    offset = 0;
    let previousLast: Uint8Array | undefined;
    for (const [i, { tag }] of segments.entries()) {
      const payload = payloads[i] as Uint8Array;
      if (tag === tagMacOnlySegment) {
        opened.push({ tag, plaintext: payload.slice() });
        continue;
      }
      try {
        if (payload.length === 0 || payload.length % 16 !== 0) {
          throw new BspStructureError(`BSP ciphertext: ${payload.length} bytes is not a positive multiple of 16`);
        }
        const block = padded.subarray(offset, offset + payload.length);
        if (previousLast !== undefined) {
          const correction = icv(i);
          for (let b = 0; b < 16; b += 1) block[b] = (block[b] ?? 0) ^ (previousLast[b] ?? 0) ^ (correction[b] ?? 0);
        }
        previousLast = payload.subarray(payload.length - 16);
        offset += payload.length;
        opened.push({ tag, plaintext: unpadBsp(block) });
      } catch (error) {
        opened.failure = error as Error;
        break;
      }
    }
    return opened;
  }

  /**
   * Builds segments with payloads of the given lengths, written by `fill`, in one buffer (one allocation for
   * the whole run), and sets their C-MACs, all computed in one pass (macChain).
   */
  #sealAll(tag: BspSegmentTag, payloadLengths: readonly number[], fill: (payload: Uint8Array, index: number) => void): Uint8Array[] {
    const headers = payloadLengths.map((length) => [tag, ...lengthBytes(length + cMacLength)]);
    const out = new Uint8Array(payloadLengths.reduce((sum, length, i) => sum + (headers[i] as number[]).length + length + cMacLength, 0));
    let offset = 0;
    const segments = payloadLengths.map((length, i) => {
      const header = headers[i] as number[];
      const segment = out.subarray(offset, offset + header.length + length + cMacLength);
      segment.set(header);
      fill(segment.subarray(header.length, header.length + length), i);
      offset += segment.length;
      return segment;
    });
    const macs = this.#sMac.macChain(this.#mcv, segments.map((segment) => segment.subarray(0, segment.length - cMacLength)));
    segments.forEach((segment, i) => segment.set((macs[i] as Uint8Array).subarray(0, cMacLength), segment.length - cMacLength));
    const last = macs.at(-1);
    if (last !== undefined) this.#mcv = last;
    this.#counter += segments.length;
    return segments;
  }
}
