// BIT STRING values (X.690 §8.6). Named-bit types are DER-minimal: trailing zero bits are removed and
// the unused-bits count says how many bits of the last octet are padding (§11.2.2). SGP.22 relies on this
// for NotificationEvent and the other named bit strings that are signed.

export interface BitString {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
}

interface NamedBits {
  readonly named: Readonly<Record<string, number>>;
}

/** A DER-minimal bit string with the named bits set. */
export function bitStringFromNames<N extends Readonly<Record<string, number>>>(type: { readonly named: N }, names: ReadonlyArray<keyof N & string>): BitString {
  const positions = names.map((name) => {
    const bit = type.named[name];
    if (bit === undefined) throw new RangeError(`unknown named bit '${name}'`);
    return bit;
  });
  return bitStringFromPositions(positions);
}

export function bitStringFromPositions(positions: readonly number[]): BitString {
  if (positions.length === 0) return { bytes: new Uint8Array(0), unusedBits: 0 };
  const highest = Math.max(...positions);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of positions) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return { bytes, unusedBits: 7 - (highest & 7) };
}

export function bitIsSet(value: BitString, bit: number): boolean {
  if (bit >= value.bytes.length * 8 - value.unusedBits) return false;
  return ((value.bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) === 1;
}

/** Names of the set bits, in bit order; bits without a name are left out. */
export function namesInBitString(type: NamedBits, value: BitString): string[] {
  return Object.entries(type.named)
    .filter(([, bit]) => bitIsSet(value, bit))
    .sort((a, b) => a[1] - b[1])
    .map(([name]) => name);
}
