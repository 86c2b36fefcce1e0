// DeviceInfo for ctxParams1 (SGP.22 v2.2.2 §5.7.13): TAC, capabilities, optional IMEI.
import type { DeviceInfo } from '@zkesim/protocol';
import { InvalidInput } from './errors.js';

export interface DeviceIdentity {
  /** 8-digit Type Allocation Code; defaults to the first 8 digits of the IMEI when one is given. */
  readonly tac?: string;
  /** 15-digit IMEI (with its Luhn check digit) or 16-digit IMEISV. */
  readonly imei?: string;
}

/** A TAC that no real device uses, for emulators and tests (GSMA reserves the 00 prefix for test TACs). */
export const DEFAULT_TAC = '35290611';

/**
 * TAC as 4 bytes of plain BCD, first digit in the high nibble ('35290611' → 35 29 06 11), as devices and
 * lpac send it. SPEC-AMBIGUITY: the ASN.1 says Octet8 for tac; every deployed LPA sends 4 octets
 * (lpac among them), which is what SM-DP+ implementations parse.
 */
export function encodeTac(tac: string): Uint8Array {
  if (!/^\d{8}$/.test(tac)) throw new InvalidInput('tac', `expected 8 decimal digits, got "${tac}"`);
  return Uint8Array.from(Buffer.from(tac, 'hex'));
}

/**
 * IMEI as 8 bytes of BCD with the nibbles of each byte swapped and 'F' filler, the 3GPP TS 24.008 mobile
 * identity digit order also used for the ICCID ('356938035643809' → 53 96 83 30 65 34 08 F9).
 * SPEC-AMBIGUITY: SGP.22 says only "Octet8"; this is the layout Android's LPA and operators' servers use.
 */
export function encodeImei(imei: string): Uint8Array {
  if (!/^\d{15,16}$/.test(imei)) throw new InvalidInput('imei', `expected 15 digits (IMEI) or 16 (IMEISV), got "${imei}"`);
  if (imei.length === 15 && !luhnValid(imei)) throw new InvalidInput('imei', `check digit of ${imei} is wrong (Luhn)`);
  const digits = imei.padEnd(16, 'F');
  const out = new Uint8Array(8);
  for (let index = 0; index < 8; index += 1) {
    out[index] = parseInt(`${digits[2 * index + 1] ?? 'F'}${digits[2 * index] ?? 'F'}`, 16);
  }
  return out;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Builds DeviceInfo. The capabilities are those of an LTE smartphone (eutran release 15, utran and gsm
 * release 15 style VersionType `0F 00 00`), enough for any SM-DP+ eligibility check on TS.48 profiles.
 */
export function buildDeviceInfo(identity: DeviceIdentity = {}): DeviceInfo {
  const tac = identity.tac ?? identity.imei?.slice(0, 8) ?? DEFAULT_TAC;
  if (identity.imei !== undefined && identity.tac !== undefined && !identity.imei.startsWith(identity.tac)) {
    throw new InvalidInput('tac', `the TAC ${identity.tac} is not the start of the IMEI ${identity.imei}`);
  }
  const release = Uint8Array.of(15, 0, 0);
  return {
    tac: encodeTac(tac),
    deviceCapabilities: { gsmSupportedRelease: release, utranSupportedRelease: release, eutranSupportedRelease: release },
    ...(identity.imei === undefined ? {} : { imei: encodeImei(identity.imei) }),
  };
}
