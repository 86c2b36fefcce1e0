// Device eligibility: the operator's IMEI blocklist and per-order device constraints,
// checked in ES9+.AuthenticateClient against the deviceInfo the LPA put into ctxParams1 (SGP.22 §5.6.3
// step "eligibility check"), before any profile is bound.
import { imeiFromDeviceInfo, tacsOfDeviceInfo } from '@zkesim/protocol';
import type { DeviceConstraints, OrderTransaction } from './repository.js';

export interface ReceivedDeviceInfo {
  tac: Uint8Array;
  imei?: Uint8Array;
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
  // Either coding of the TAC counts (protocol's tacsOfDeviceInfo): some LPAs send the IMEI's swapped bytes.
  if (allowed !== undefined && allowed.length > 0 && !tacsOfDeviceInfo(device.tac).some((tac) => allowed.includes(tac))) {
    return 'the device type (TAC) is not allowed for this order';
  }
  return undefined;
}
