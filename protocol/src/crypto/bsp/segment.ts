// BSP segment protection and verification (SGP.22 v2.2.2 §2.6.4.4 and §5.5, called SCP03t in v2;
// after GlobalPlatform SCP03). One BspSession per direction: the SM-DP+ protects, the eUICC unprotects; both
// hold the same keys, the counter of the next segment, and the MAC chaining value.
import { secretsEqual } from '../../bytes.js';
import { BspStructureError, BspMacError, CryptoInputError, assertBytes } from '../errors.js';
import { bspEncryptInPlace, bspIcvs, paddedLength, paddingStart } from './cipher.js';
import { AesCmac, cMacLength, macChainLayout, macEnd, type MacChainLayout } from './mac.js';
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

/** Tag and length octets of a segment whose value is `length` bytes (DER length, at most `82 xx xx`). */
function headerLengthOf(length: number): number {
  return length < 0x80 ? 2 : length < 0x100 ? 3 : 4;
}

function writeHeader(target: Uint8Array, offset: number, tag: BspSegmentTag, length: number): void {
  target[offset] = tag;
  if (length < 0x80) target[offset + 1] = length;
  else if (length < 0x100) [target[offset + 1], target[offset + 2]] = [0x81, length];
  else [target[offset + 1], target[offset + 2], target[offset + 3]] = [0x82, length >> 8, length & 0xff];
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

/** A received segment whose header was read. */
interface ParsedSegment {
  tag: BspSegmentTag;
  headerLength: number;
  segment: Uint8Array;
}

/**
 * The plaintexts of opened segments, segment k's from starts[k] to ends[k] in buffers[k] (a CBC pass's output,
 * or the received segment for a MAC-only one), and the error that stopped the opening, if any.
 */
interface OpenedSegments {
  tags: BspSegmentTag[];
  buffers: Uint8Array[];
  starts: number[];
  ends: number[];
  failure?: Error | undefined;
}

/**
 * The index of the first segment whose C-MAC is not the first 8 bytes of its computed CMAC, or the number of
 * segments when all verify. All C-MACs are compared in one constant-time comparison; only when that fails are
 * they compared one by one, to name the segment (its position is reported in the error anyway).
 */
function firstBadMac(segments: readonly ParsedSegment[], encrypted: Uint8Array, layout: MacChainLayout): number {
  const received = new Uint8Array(segments.length * cMacLength);
  const expected = new Uint8Array(segments.length * cMacLength);
  for (let i = 0; i < segments.length; i += 1) {
    const { segment } = segments[i] as ParsedSegment;
    const mac = macEnd(layout, i) - 16;
    for (let b = 0; b < cMacLength; b += 1) {
      received[i * cMacLength + b] = segment[segment.length - cMacLength + b] ?? 0;
      expected[i * cMacLength + b] = encrypted[mac + b] ?? 0;
    }
  }
  if (secretsEqual(received, expected)) return segments.length;
  let index = 0;
  while (secretsEqual(received.subarray(index * cMacLength, (index + 1) * cMacLength), expected.subarray(index * cMacLength, (index + 1) * cMacLength))) index += 1;
  return index;
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
   * one CBC call per segment on one context, its ICV included (bspEncryptInPlace), one CMAC pass for all the
   * C-MACs (macChainPass).
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
    const lengths: number[] = [];
    for (const plaintext of plaintexts) lengths.push(paddedLength(plaintext.length));
    return this.#sealAll(tag, lengths, plaintexts, true);
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
    const lengths: number[] = [];
    for (const plaintext of plaintexts) lengths.push(plaintext.length);
    return this.#sealAll(tag, lengths, plaintexts, false);
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
    const { tags, buffers, starts, ends, failure } = this.#open(segments, expectedTag);
    if (failure !== undefined) throw failure;
    const opened: UnprotectedSegment[] = [];
    for (let k = 0; k < tags.length; k += 1) {
      const tag = tags[k] as BspSegmentTag;
      const buffer = buffers[k] as Uint8Array;
      // A MAC-only segment's plaintext is in the caller's segment: a copy, not a view of it.
      opened.push({ tag, plaintext: tag === tagMacOnlySegment ? buffer.slice(starts[k], ends[k]) : buffer.subarray(starts[k], ends[k]) });
    }
    return opened;
  }

  /**
   * unprotectAll, with the plaintexts concatenated (the same checks, errors and session state). When they were
   * all decrypted by one CBC pass, they are moved together inside its output instead of copied out of it.
   */
  unprotectJoined(segments: readonly Uint8Array[], expectedTag?: BspSegmentTag): Uint8Array {
    const { tags, buffers, starts, ends, failure } = this.#open(segments, expectedTag);
    if (failure !== undefined) throw failure;
    const first = buffers[0];
    if (first !== undefined && tags[0] !== tagMacOnlySegment && buffers.every((buffer) => buffer === first)) {
      let end = ends[0] as number;
      for (let k = 1; k < tags.length; k += 1) {
        first.copyWithin(end, starts[k] as number, ends[k] as number);
        end += (ends[k] as number) - (starts[k] as number);
      }
      return first.subarray(starts[0], end);
    }
    let total = 0;
    for (let k = 0; k < tags.length; k += 1) total += (ends[k] as number) - (starts[k] as number);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (let k = 0; k < tags.length; k += 1) {
      joined.set((buffers[k] as Uint8Array).subarray(starts[k], ends[k]), offset);
      offset += (ends[k] as number) - (starts[k] as number);
    }
    return joined;
  }

  /** Checks, verifies and opens segments (unprotectAll), advancing the session past those it opened. */
  #open(segments: readonly Uint8Array[], expectedTag: BspSegmentTag | undefined): OpenedSegments {
    let failure: Error | undefined;
    const parsed: ParsedSegment[] = [];
    for (const segment of segments) {
      try {
        if (expectedTag !== undefined && segment[0] !== expectedTag) {
          throw new BspStructureError(`BSP segment: tag ${segment[0]?.toString(16) ?? 'missing'} where ${expectedTag.toString(16)} is expected`);
        }
        assertBytes(segment, 'segment');
        const { tag, headerLength } = parseHeader(segment);
        parsed.push({ tag, headerLength, segment });
      } catch (error) {
        failure = error as Error;
        break;
      }
    }
    // Each whole segment goes into the MAC pass's buffer: its C-MAC lands where that pass writes padding.
    const layout = macChainLayout(parsed.map(({ segment }) => segment.length - cMacLength), cMacLength);
    for (let i = 0; i < parsed.length; i += 1) layout.data.set((parsed[i] as ParsedSegment).segment, layout.offsets[i]);
    const encrypted = this.#sMac.macChainPass(this.#mcv, layout);
    const verified = firstBadMac(parsed, encrypted, layout);
    if (verified < parsed.length) {
      failure = new BspMacError(`BSP segment ${(parsed[verified]?.tag ?? 0).toString(16)} (counter ${this.#counter + verified}): C-MAC does not verify`);
    }
    const opened = this.#openVerified(verified === parsed.length ? parsed : parsed.slice(0, verified), layout);
    const count = opened.tags.length;
    if (count < verified) failure = opened.failure;
    if (count > 0) {
      const end = macEnd(layout, count - 1);
      this.#mcv = encrypted.slice(end - 16, end);
      this.#counter += count;
    }
    opened.failure = failure;
    return opened;
  }

  /**
   * Decrypts the verified segments and strips their padding; stops at the first ciphertext that is not whole
   * blocks or whose padding is bad. The segments are still whole in the MAC pass's buffer, each at a multiple of
   * 16 plus its header length: for a run of encrypted segments with the same header length, one CBC pass over
   * that buffer from the first ciphertext to the end of the last decrypts them all (the blocks between them are
   * decrypted and dropped). CBC chains each segment's first block from the block before it in the buffer
   * instead of its ICV: XOR that block and the ICV back into the first plaintext block.
   */
  #openVerified(segments: readonly ParsedSegment[], layout: MacChainLayout): OpenedSegments {
    const opened: OpenedSegments = { tags: [], buffers: [], starts: [], ends: [] };
    const { data, offsets } = layout;
    const ciphertextLengths = segments.map(({ headerLength, segment }) => segment.length - cMacLength - headerLength);
    let icvs: Uint8Array | undefined;
    for (let i = 0; i < segments.length; ) {
      const { tag, headerLength, segment } = segments[i] as ParsedSegment;
      if (tag === tagMacOnlySegment) {
        opened.tags.push(tag);
        opened.buffers.push(segment);
        opened.starts.push(headerLength);
        opened.ends.push(segment.length - cMacLength);
        i += 1;
        continue;
      }
      let end = i;
      while (end < segments.length) {
        const next = segments[end] as ParsedSegment;
        const length = ciphertextLengths[end] as number;
        if (next.tag === tagMacOnlySegment || next.headerLength !== headerLength || length === 0 || length % 16 !== 0) break;
        end += 1;
      }
      if (end === i) {
        opened.failure = new BspStructureError(`BSP ciphertext: ${ciphertextLengths[i] as number} bytes is not a positive multiple of 16`);
        return opened;
      }
      icvs ??= bspIcvs(this.#sEnc, this.#counter, segments.length);
      const first = (offsets[i] as number) + headerLength;
      const padded = this.#sEnc.cbcDecrypt(icvs.subarray(i * 16, i * 16 + 16), data.subarray(first, (offsets[end - 1] as number) + headerLength + (ciphertextLengths[end - 1] as number)));
      for (let k = i; k < end; k += 1) {
        const start = (offsets[k] as number) + headerLength - first;
        if (k > i) {
          for (let b = 0; b < 16; b += 1) padded[start + b] = (padded[start + b] as number) ^ (data[first + start - 16 + b] as number) ^ (icvs[k * 16 + b] as number);
        }
        try {
          const plaintextEnd = paddingStart(padded, start, start + (ciphertextLengths[k] as number));
          opened.tags.push(tag);
          opened.buffers.push(padded);
          opened.starts.push(start);
          opened.ends.push(plaintextEnd);
        } catch (error) {
          opened.failure = error as Error;
          return opened;
        }
      }
      i = end;
    }
    return opened;
  }

  /**
   * Builds segments around the plaintexts in place in the buffer of the MAC pass (macChainPass: one allocation
   * for the whole run), encrypts them there when `encrypt` is set, and sets their C-MACs after the pass, over
   * the padding that follows each one there.
   */
  #sealAll(tag: BspSegmentTag, payloadLengths: readonly number[], plaintexts: readonly Uint8Array[], encrypt: boolean): Uint8Array[] {
    const count = payloadLengths.length;
    const headerLengths = payloadLengths.map((length) => headerLengthOf(length + cMacLength));
    const layout = macChainLayout(
      payloadLengths.map((length, i) => (headerLengths[i] as number) + length),
      cMacLength,
    );
    const { data, offsets } = layout;
    const payloads: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const plaintext = plaintexts[i] as Uint8Array;
      const payload = (offsets[i] as number) + (headerLengths[i] as number);
      data.set(plaintext, payload);
      // §2.6.4.4 padding: 80 and then the zeros the fresh buffer already holds.
      if (encrypt) data[payload + plaintext.length] = 0x80;
      payloads.push(payload);
    }
    // The 16 bytes before each payload (its header and the end of its MAC chaining block) are the encryption's
    // scratch: the headers are written after it, the chaining blocks by the MAC pass.
    if (encrypt) bspEncryptInPlace(this.#sEnc, data, payloads, payloadLengths, this.#counter);
    for (let i = 0; i < count; i += 1) writeHeader(data, offsets[i] as number, tag, (payloadLengths[i] as number) + cMacLength);
    const encrypted = this.#sMac.macChainPass(this.#mcv, layout);
    const segments: Uint8Array[] = [];
    for (let i = 0; i < count; i += 1) {
      const macOffset = (payloads[i] as number) + (payloadLengths[i] as number);
      const mac = macEnd(layout, i) - 16;
      for (let b = 0; b < cMacLength; b += 1) data[macOffset + b] = encrypted[mac + b] as number;
      segments.push(data.subarray(offsets[i], macOffset + cMacLength));
    }
    if (count > 0) {
      const end = macEnd(layout, count - 1);
      this.#mcv = encrypted.slice(end - 16, end);
    }
    this.#counter += count;
    return segments;
  }
}
