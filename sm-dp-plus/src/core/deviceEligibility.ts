// Device eligibility: the operator's IMEI blocklist and per-order device constraints,
// checked in ES9+.AuthenticateClient against the deviceInfo the LPA put into ctxParams1 (SGP.22 §5.6.3
// step "eligibility check"), before any profile is bound.
import type { DeviceConstraints, OrderTransaction } from './repository.js';
import { imeiDigits, type ImeiDigits } from './identifiers.js';

export interface ReceivedDeviceInfo {
  tac: Uint8Array;
  imei?: Uint8Array;
}

/**
 * TAC: 8 digits. SPEC-AMBIGUITY: SGP.22 carries it as 4 octets of BCD; we read them in plain order
 * (first digit in the high nibble), as devices and lpac send it.
 */
export function tacDigits(tac: Uint8Array): string {
  return Buffer.from(tac).toString('hex').toUpperCase();
}

/**
 * IMEI: 8 octets, TBCD as in 3GPP TS 24.008 (digits nibble-swapped, F filler). SPEC-AMBIGUITY: we read
 * the 15 or 16 digits in swapped order and drop the filler; anything else is "no usable IMEI".
 */
export function imeiFromDeviceInfo(imei: Uint8Array): ImeiDigits | undefined {
  let digits = '';
  for (const byte of imei) digits += `${(byte & 0x0f).toString(16)}${(byte >> 4).toString(16)}`;
  digits = digits.replace(/f+$/i, '');
  return /^\d{15,16}$/.test(digits) ? imeiDigits(digits) : undefined;
}

/** Why a device is not eligible, or undefined if it is. */
export async function deviceIneligibility(
  tx: OrderTransaction,
  device: ReceivedDeviceInfo,
  constraints: DeviceConstraints | undefined,
): Promise<string | undefined> {
  const imei = device.imei === undefined ? undefined : imeiFromDeviceInfo(device.imei);
  if (imei !== undefined && (await tx.isImeiBlocked(imei))) return 'the device IMEI is on the operator blocklist';
  if (constraints?.imeiRequired === true && imei === undefined) return 'the order requires the device to send its IMEI';
  const allowed = constraints?.allowedTacs;
  if (allowed !== undefined && allowed.length > 0 && !allowed.includes(tacDigits(device.tac))) {
    return 'the device type (TAC) is not allowed for this order';
  }
  return undefined;
}
