// DeviceInfo for ctxParams1 (SGP.22 v2.2.2 §5.7.13): TAC, capabilities, optional IMEI.
import { imeiToBytes, tacToBytes, type DeviceInfo } from '@zkesim/protocol';
import { fromUserInput, InvalidInput } from './errors.js';

export interface DeviceIdentity {
  /** 8-digit Type Allocation Code; defaults to the first 8 digits of the IMEI when one is given. */
  readonly tac?: string;
  /** 15-digit IMEI (with its Luhn check digit) or 16-digit IMEISV. */
  readonly imei?: string;
}

/** A TAC that no real device uses, for emulators and tests (GSMA reserves the 00 prefix for test TACs). */
export const DEFAULT_TAC = '35290611';

/** DeviceInfo.tac from the user's 8 digits (protocol's tacToBytes; a bad value is an InvalidInput). */
export function encodeTac(tac: string): Uint8Array {
  return fromUserInput(() => tacToBytes(tac));
}

/** DeviceInfo.imei from the user's 15 or 16 digits (protocol's imeiToBytes; a bad value is an InvalidInput). */
export function encodeImei(imei: string): Uint8Array {
  return fromUserInput(() => imeiToBytes(imei));
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
