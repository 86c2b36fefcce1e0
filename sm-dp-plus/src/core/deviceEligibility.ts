// Device eligibility: the operator's IMEI blocklist and per-order device constraints,
// checked in ES9+.AuthenticateClient against the deviceInfo the LPA put into ctxParams1 (SGP.22 §5.6.3
// step "eligibility check"), before any profile is bound.
import { PprIds, bitStringFromNames, forbiddenRulesSetBy, imeiFromDeviceInfo, tacsOfDeviceInfo, type BitString, type ProfilePolicyRule } from '@zkesim/protocol';
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

/**
 * Why the eUICC would refuse the profile's Profile Policy Rules, or undefined (SGP.22 §2.9, §5.6.3 eligibility
 * check, 8.2.5 / 4.3): a rule the profile sets is one the eUICC reports in
 * euiccInfo2.forbiddenProfilePolicyRules, the rules its Rules Authorisation Table grants to no operator.
 *
 * SPEC-AMBIGUITY: SGP.22 v2.2.2 speaks of the device's and the eUICC's forbidden rules, but DeviceInfo
 * (tac, deviceCapabilities, imei) carries none; the eUICC's forbiddenProfilePolicyRules is the only list that
 * reaches the SM-DP+. The device's own check is the LPA's, against the RAT, before it downloads (§3.1.3.2).
 */
export function policyRulesIneligibility(profileRules: readonly ProfilePolicyRule[] | undefined, forbidden: BitString | undefined): string | undefined {
  if (profileRules === undefined || profileRules.length === 0) return undefined;
  const refused = forbiddenRulesSetBy(bitStringFromNames(PprIds, profileRules), forbidden);
  return refused.length === 0 ? undefined : `the eUICC forbids the profile policy rules ${refused.join(', ')}`;
}
