// Shared helpers for the protocol tests: hex, and paths into ../shared (the reference material).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

export function sharedFile(path: string): Uint8Array {
  return new Uint8Array(readFileSync(`${SHARED_DIR}${path}`));
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export const TS48_PROFILES = [
  'TS48V1-A-UNIQUE.der',
  'TS48V4-SAIP2-3-NOBERTLV-UNIQUE.der',
  'TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der',
  'TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der',
];
