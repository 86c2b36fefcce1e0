// ES2+.DownloadOrder (SGP.22 v2.2.2 §5.3.1): the operator reserves a profile, by ICCID or by profile
// type, optionally for one EID. The profile moves Available → Allocated (no EID) or Linked (EID).
import { Codes, RspError, eidDigits, iccidDigits, type EidDigits, type IccidDigits } from '@zkesim/protocol';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import { redactEid } from '../core/identifiers.js';
import type { InventoryTransaction, ProfileRecord } from '../core/repository.js';
import { fieldError } from './fieldError.js';
import type { OperatorIdentity } from './operator.js';

export interface DownloadOrderInput {
  eid?: string;
  iccid?: string;
  profileType?: string;
}

export interface DownloadOrderOutput {
  iccid: IccidDigits;
}

export async function downloadOrder(
  deps: CoreDeps,
  policy: OrderPolicy,
  operator: OperatorIdentity,
  input: DownloadOrderInput,
): Promise<DownloadOrderOutput> {
  const eid = input.eid === undefined ? undefined : fieldError(() => eidDigits(input.eid as string));
  const iccid = input.iccid === undefined ? undefined : fieldError(() => iccidDigits(input.iccid as string));
  if (iccid === undefined && input.profileType === undefined) {
    // §5.3.1: one of iccid / profileType is required.
    throw new RspError(Codes.mandatoryParameterMissing, 'iccid or profileType is required', { subjectIdentifier: 'profileType' });
  }
  const now = deps.clock.now();
  const profile = await deps.repository.transaction(async (tx) => {
    const chosen = await chooseProfile(tx, iccid, input.profileType);
    await applyProfileEvent(tx, chosen.iccid, eid === undefined ? 'downloadOrderWithoutEid' : 'downloadOrderWithEid', now);
    await tx.insertOrder({
      iccid: chosen.iccid,
      ...(eid === undefined ? {} : { eid }),
      releaseFlag: false,
      operatorId: operator.operatorId,
      ...(operator.callbackUrl === undefined ? {} : { callbackUrl: operator.callbackUrl }),
      createdAt: now,
      ...(policy.orderLifetimeMs > 0 ? { expiresAt: now + policy.orderLifetimeMs } : {}),
    });
    return chosen;
  });
  deps.logger.info(
    { function: 'downloadOrder', iccid: profile.iccid, profileType: profile.profileType, eid: eidForLog(eid) },
    'profile ordered',
  );
  return { iccid: profile.iccid };
}

async function chooseProfile(tx: InventoryTransaction, iccid: IccidDigits | undefined, profileType: string | undefined): Promise<ProfileRecord> {
  if (iccid !== undefined) {
    const profile = await tx.getProfile(iccid);
    if (profile === undefined) throw new RspError(Codes.iccidUnknown, undefined, { subjectIdentifier: 'iccid' });
    if (profileType !== undefined && profile.profileType !== profileType) {
      throw new RspError(Codes.profileTypeMismatch, undefined, { subjectIdentifier: 'profileType' });
    }
    if (profile.state !== 'available') throw new RspError(Codes.iccidNotAvailable, undefined, { subjectIdentifier: 'iccid' });
    return profile;
  }
  const type = profileType as string;
  if ((await tx.getProfileTemplate(type)) === undefined) {
    throw new RspError(Codes.profileTypeUnknown, undefined, { subjectIdentifier: 'profileType' });
  }
  const available = await tx.findAvailableProfile(type);
  if (available === undefined) throw new RspError(Codes.profileTypeUnavailable, undefined, { subjectIdentifier: 'profileType' });
  return available;
}

function eidForLog(eid: EidDigits | undefined): string | undefined {
  return eid === undefined ? undefined : redactEid(eid);
}
