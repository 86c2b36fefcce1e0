// BSP segment protection and verification (SGP.22 v2.2.2 §2.6.4.4 and §5.5, called SCP03t in v2;
// after GlobalPlatform SCP03). One BspSession per direction: the SM-DP+ protects, the eUICC unprotects; both
// hold the same keys, the counter of the next segment, and the MAC chaining value.
import { secretsEqual } from '../../bytes.js';
import { BspStructureError, BspMacError, CryptoInputError, assertBytes } from '../errors.js';
import { bspDecrypt, bspEncrypt } from './cipher.js';
import { AesCmac, bspFullMac, cMacLength } from './mac.js';
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
    if (tag !== tagProfileElementSegment && tag !== tagEncryptedCommandSegment) {
      throw new CryptoInputError(`tag: ${String(tag)} is not an encrypted segment tag (86, 87)`);
    }
    assertBytes(plaintext, 'plaintext');
    if (plaintext.length > maxEncryptedPlaintextLength) {
      throw new CryptoInputError(`plaintext: ${plaintext.length} bytes exceeds ${maxEncryptedPlaintextLength} per encrypted segment`);
    }
    return this.#seal(tag, bspEncrypt(this.#sEnc, this.#counter, plaintext));
  }

  /** MACs one `88` segment (≤ 1008 plaintext bytes); the counter still advances (§2.6.4.4). */
  protectMacOnly(tag: BspMacOnlyTag, plaintext: Uint8Array): Uint8Array {
    if (tag !== tagMacOnlySegment) throw new CryptoInputError(`tag: ${String(tag)} is not the MAC-only segment tag (88)`);
    assertBytes(plaintext, 'plaintext');
    if (plaintext.length > maxMacOnlyPlaintextLength) {
      throw new CryptoInputError(`plaintext: ${plaintext.length} bytes exceeds ${maxMacOnlyPlaintextLength} per MAC-only segment`);
    }
    return this.#seal(tag, plaintext);
  }

  /**
   * Verifies one received segment (the complete `86`/`87`/`88` TLV), MAC first, then decrypts it and
   * strips the padding. Throws BspStructureError or BspMacError; on failure the session is unchanged.
   */
  unprotect(segment: Uint8Array): UnprotectedSegment {
    assertBytes(segment, 'segment');
    const { tag, headerLength } = parseHeader(segment);
    const macOffset = segment.length - cMacLength;
    const fullMac = bspFullMac(this.#sMac, this.#mcv, segment.subarray(0, macOffset));
    if (!secretsEqual(fullMac.subarray(0, cMacLength), segment.subarray(macOffset))) {
      throw new BspMacError(`BSP segment ${tag.toString(16)} (counter ${this.#counter}): C-MAC does not verify`);
    }
    const payload = segment.subarray(headerLength, macOffset);
    const plaintext = tag === tagMacOnlySegment ? payload.slice() : bspDecrypt(this.#sEnc, this.#counter, payload);
    this.#mcv = fullMac;
    this.#counter += 1;
    return { tag, plaintext };
  }

  #seal(tag: BspSegmentTag, payload: Uint8Array): Uint8Array {
    const header = [tag, ...lengthBytes(payload.length + cMacLength)];
    const segment = new Uint8Array(header.length + payload.length + cMacLength);
    segment.set(header);
    segment.set(payload, header.length);
    const fullMac = bspFullMac(this.#sMac, this.#mcv, segment.subarray(0, header.length + payload.length));
    segment.set(fullMac.subarray(0, cMacLength), header.length + payload.length);
    this.#mcv = fullMac;
    this.#counter += 1;
    return segment;
  }
}
