// JSON form of an EuiccState for storage. Byte fields become {"$hex": "..."} here, at the storage edge, and
// nowhere else. Reading checks the shape enough that a damaged file gives a clear error, not a crash later.
import { fromHex, isHex, toHex } from '@zkesim/protocol';
import { defaultQuirks, type Quirks } from '../core/quirks.js';
import type { EuiccState } from '../core/state.js';

const FORMAT_VERSION = 1;

export class StateFormatError extends Error {
  override readonly name = 'StateFormatError';
}

export function stateToJson(state: EuiccState): string {
  return JSON.stringify({ formatVersion: FORMAT_VERSION, state }, (_key, value: unknown) =>
    value instanceof Uint8Array ? { $hex: toHex(value) } : value,
  );
}

export function stateFromJson(text: string): EuiccState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => (isHexBox(value) ? hexToBytes(value.$hex) : value));
  } catch (error) {
    throw new StateFormatError('stored eUICC state is not valid JSON', { cause: error });
  }
  if (!isRecord(parsed) || parsed.formatVersion !== FORMAT_VERSION || !isRecord(parsed.state)) {
    throw new StateFormatError(`stored eUICC state has no state of format version ${FORMAT_VERSION}`);
  }
  const state = parsed.state;
  requireBytes(state, 'eid', 16);
  for (const field of ['credentials', 'trustedCiCertificates', 'profiles', 'notifications', 'crls']) {
    if (!Array.isArray(state[field])) throw new StateFormatError(`stored eUICC state: ${field} is not a list`);
  }
  for (const field of ['nextSeqNumber', 'nextIsdpNumber']) {
    if (!Number.isSafeInteger(state[field])) throw new StateFormatError(`stored eUICC state: ${field} is not an integer`);
  }
  if (typeof state.rootDsAddress !== 'string') throw new StateFormatError('stored eUICC state: rootDsAddress is not a string');
  const quirks: Quirks = { ...defaultQuirks(), ...(isRecord(state.quirks) ? state.quirks : {}) };
  return { ...(state as unknown as EuiccState), quirks };
}

interface HexBox {
  readonly $hex: string;
}

function isHexBox(value: unknown): value is HexBox {
  return isRecord(value) && typeof value.$hex === 'string' && Object.keys(value).length === 1;
}

function hexToBytes(text: string): Uint8Array {
  if (!isHex(text)) throw new StateFormatError(`stored eUICC state: "${text.slice(0, 16)}" is not hex`);
  return fromHex(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireBytes(record: Record<string, unknown>, field: string, length: number): void {
  const value = record[field];
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new StateFormatError(`stored eUICC state: ${field} must be ${length} bytes`);
  }
}
