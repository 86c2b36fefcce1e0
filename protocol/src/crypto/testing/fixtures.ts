// Test-only helpers: hex for fixtures, and the shared reference data (../shared/spec/ beside the repo).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Bytes of a hex fixture (whitespace ignored). */
export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** Lower-case hex of bytes, for readable assertions. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A file of /work/shared/spec (found relative to this file, as CI places shared/ beside the repo). */
export function readSharedSpec(relativePath: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../../../../shared/spec/${relativePath}`, import.meta.url)));
}

/** A JSON vector file beside the tests of this package. */
export function readVectors<T>(relativeToCrypto: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../${relativeToCrypto}`, import.meta.url)), 'utf8')) as T;
}

/** Splits a DER Certificate into its exact tbsCertificate bytes and DER signature (test-only walk). */
export function splitCertificate(der: Uint8Array): { tbs: Uint8Array; signature: Uint8Array } {
  const header = (offset: number): { start: number; end: number } => {
    const first = der[offset + 1] ?? 0;
    if (first < 0x80) return { start: offset + 2, end: offset + 2 + first };
    const count = first & 0x7f;
    let length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (der[offset + 2 + i] ?? 0);
    return { start: offset + 2 + count, end: offset + 2 + count + length };
  };
  const outer = header(0);
  const tbs = header(outer.start);
  const algorithm = header(tbs.end);
  const bitString = header(algorithm.end);
  return { tbs: der.slice(outer.start, tbs.end), signature: der.slice(bitString.start + 1, bitString.end) };
}

/** Test-only BER walk: the TLVs of a concatenation, each as { tag, value, tlv }. */
export function testTlvs(bytes: Uint8Array): { tag: number; value: Uint8Array; tlv: Uint8Array }[] {
  const out: { tag: number; value: Uint8Array; tlv: Uint8Array }[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    let tag = bytes[offset] ?? 0;
    offset += 1;
    if ((tag & 0x1f) === 0x1f) {
      do {
        tag = tag * 256 + (bytes[offset] ?? 0);
        offset += 1;
      } while (((bytes[offset - 1] ?? 0) & 0x80) !== 0);
    }
    const first = bytes[offset] ?? 0;
    offset += 1;
    let length = first;
    if (first >= 0x80) {
      length = 0;
      for (let i = 0; i < (first & 0x7f); i += 1) length = length * 256 + (bytes[offset + i] ?? 0);
      offset += first & 0x7f;
    }
    out.push({ tag, value: bytes.subarray(offset, offset + length), tlv: bytes.subarray(start, offset + length) });
    offset += length;
  }
  return out;
}
