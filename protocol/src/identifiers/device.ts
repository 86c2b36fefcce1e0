// The device identifiers an LPA puts into DeviceInfo (ctxParams1 of ES10b.AuthenticateServer, SGP.22
// §5.7.13) and the SM-DP+ reads back for its eligibility check: the TAC and the optional IMEI
// (3GPP TS 23.003 §6.2: TAC = the first 8 digits of the IMEI; 15-digit IMEI with a Luhn check digit, or a
// 16-digit IMEISV without one).
import { plainBcd, plainBcdNibbles, swappedBcd, swappedBcdNibbles } from './bcd.js';
import { InvalidIdentifier } from './errors.js';
import { isLuhnValid } from './luhn.js';

/** An IMEI (15 digits) or IMEISV (16 digits), made by {@link imeiDigits}. */
export type ImeiDigits = string & { readonly __brand: 'ImeiDigits' };

/** Bytes of DeviceInfo.imei (Octet8). */
export const IMEI_LENGTH = 8;

/**
 * Validates an IMEI or IMEISV given as digits; fails with an {@link InvalidIdentifier} naming `field`.
 * The check digit is not verified here, so that an IMEISV and a stored IMEI compare as sent.
 */
export function imeiDigits(text: string, field = 'imei'): ImeiDigits {
  if (!/^\d{15,16}$/.test(text)) throw new InvalidIdentifier(field, 'must be 15 or 16 decimal digits');
  return text as ImeiDigits;
}

/**
 * DeviceInfo.imei: 8 bytes of swapped BCD with 'F' filler, the TBCD digit order of 3GPP TS 29.002 that
 * 3GPP TS 24.008 mobile identities also use. A 15-digit IMEI must carry a valid Luhn check digit.
 * SPEC-AMBIGUITY: SGP.22 says only `Octet8`; this is the layout Android's LPA and operators' servers use.
 * @example imeiToBytes('356938035643809') // 53 96 83 30 65 34 08 F9
 */
export function imeiToBytes(imei: string, field = 'imei'): Uint8Array {
  const digits = imeiDigits(imei, field);
  if (digits.length === 15 && !isLuhnValid(digits)) throw new InvalidIdentifier(field, 'check digit is wrong (Luhn)');
  return swappedBcd(digits, IMEI_LENGTH);
}

/**
 * The IMEI a received DeviceInfo.imei carries, or undefined when its digits are not 15 or 16 decimal
 * digits: the SM-DP+ then treats the device as having sent no usable IMEI (SGP.22 makes the field optional).
 */
export function imeiFromDeviceInfo(bytes: Uint8Array): ImeiDigits | undefined {
  const digits = swappedBcdNibbles(bytes);
  return /^\d{15,16}$/.test(digits) ? (digits as ImeiDigits) : undefined;
}

/**
 * DeviceInfo.tac: 4 bytes of plain BCD, first digit in the high nibble, as devices and lpac send it.
 * SPEC-AMBIGUITY: the module text declares `tac Octet8`; SGP.22's description and every deployed LPA use
 * 4 octets, which is what SM-DP+ implementations parse.
 * @example tacToBytes('35290611') // 35 29 06 11
 */
export function tacToBytes(tac: string, field = 'tac'): Uint8Array {
  if (!/^\d{8}$/.test(tac)) throw new InvalidIdentifier(field, 'must be 8 decimal digits');
  return plainBcd(tac);
}

/** The TAC a received DeviceInfo.tac carries, read in plain BCD order (upper-case hex if not BCD). */
export function tacFromDeviceInfo(bytes: Uint8Array): string {
  return plainBcdNibbles(bytes).toUpperCase();
}

/**
 * Every TAC a received DeviceInfo.tac can stand for: its plain BCD reading, and the nibble-swapped reading
 * of LPAs that copy the first 4 bytes of DeviceInfo.imei (TBCD) into `tac` (lpac given an IMEI sends
 * IMEI 35693803… as tac 53 96 83 30). Only readings of 8 decimal digits count.
 * SPEC-AMBIGUITY: SGP.22 §5.7.13 fixes no coding beyond the octets; accepting both lets an allow-list of
 * TAC 35693803 also admit a device whose real TAC is 53968330 sent in plain BCD, a smaller risk than
 * refusing every device of such LPAs.
 * @example tacsOfDeviceInfo(Uint8Array.of(0x53, 0x96, 0x83, 0x30)) // ['53968330', '35693803']
 */
export function tacsOfDeviceInfo(bytes: Uint8Array): string[] {
  const readings = [plainBcdNibbles(bytes), swappedBcdNibbles(bytes)].filter((reading) => /^\d{8}$/.test(reading));
  return [...new Set(readings)];
}
