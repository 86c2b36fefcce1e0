// EF.SPN (3GPP TS 31.102 §4.2.12): display condition byte, then the service provider name in the SMS
// default 7-bit alphabet, one character per byte (TS 23.038; or UCS2 after 0x80, TS 31.101 Annex A),
// padded with FF to the file's 17 bytes. Used to keep the profile's EF.SPN and the StoreMetadata
// serviceProviderName the same name.

export const spnFileLength = 17;

/** TS 23.038 default alphabet positions that differ from ASCII; the other printable ASCII characters map 1:1. */
const gsmDifferences: Readonly<Record<string, number>> = { '@': 0x00, $: 0x02, _: 0x11 };
const notInDefaultAlphabet = new Set(['`', '[', ']', '{', '}', '\\', '^', '~', '|']);

function gsmByte(character: string): number | undefined {
  const special = gsmDifferences[character];
  if (special !== undefined) return special;
  const code = character.charCodeAt(0);
  return code >= 0x20 && code < 0x7f && !notInDefaultAlphabet.has(character) ? code : undefined;
}

/** The 17-byte EF.SPN content for `name` with the given display condition; throws if it does not fit. */
export function spnFileContent(name: string, displayCondition = 0x01): Uint8Array {
  const characters = [...name];
  const gsm = characters.map(gsmByte);
  const encoded = gsm.every((byte): byte is number => byte !== undefined)
    ? gsm
    : [0x80, ...Buffer.from(name, 'utf16le').swap16()];
  if (encoded.length > spnFileLength - 1) throw new RangeError(`service provider name "${name}" does not fit EF.SPN (16 bytes)`);
  const content = new Uint8Array(spnFileLength).fill(0xff);
  content[0] = displayCondition;
  content.set(encoded, 1);
  return content;
}

/** The name in an EF.SPN content (default alphabet or 0x80 UCS2), or undefined if it is empty. */
export function nameFromSpnFile(content: Uint8Array): string | undefined {
  const body = content.subarray(1);
  const end = body.indexOf(0xff);
  const bytes = end < 0 ? body : body.subarray(0, end);
  if (bytes.length === 0) return undefined;
  if (bytes[0] === 0x80) {
    const ucs2 = bytes.subarray(1, 1 + ((bytes.length - 1) & ~1));
    return Buffer.from(ucs2).swap16().toString('utf16le');
  }
  const reverse = new Map(Object.entries(gsmDifferences).map(([character, byte]) => [byte, character]));
  return Array.from(bytes, (byte) => reverse.get(byte) ?? String.fromCharCode(byte)).join('');
}
