// ES10c.eUICCMemoryReset (SGP.22 §5.7.19): deletes operational and/or field-loaded test profiles and/or
// resets the default SM-DP+ address, as resetOptions says.
import {
  EuiccMemoryResetRequest, EuiccMemoryResetRequest_resetOptions, EuiccMemoryResetResponse, EuiccMemoryResetResponse_resetResult, ProfileClass, bitIsSet,
} from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { queueProfileNotifications } from '../core/notifications.js';
import { removeProfile } from '../core/profiles.js';
import { decodeRequest } from '../core/requestCodec.js';
import type { EuiccState } from '../core/state.js';

const result = EuiccMemoryResetResponse_resetResult;
const option = EuiccMemoryResetRequest_resetOptions;

export const euiccMemoryReset: Es10Handler = (request, context) => {
  const { resetOptions } = decodeRequest(EuiccMemoryResetRequest, request);
  const answer = (resetResult: number): Uint8Array => EuiccMemoryResetResponse.encode({ resetResult });
  const wantedClasses = new Set<number>();
  if (bitIsSet(resetOptions, option.deleteOperationalProfiles)) wantedClasses.add(ProfileClass.named.operational);
  if (bitIsSet(resetOptions, option.deleteFieldLoadedTestProfiles)) wantedClasses.add(ProfileClass.named.test);
  let next: EuiccState = context.state;
  let changed = false;
  for (const profile of context.state.profiles.filter((p) => wantedClasses.has(p.profileClass))) {
    // SPEC-AMBIGUITY: we read a memory reset as a deletion: it queues the delete notifications the profiles ask for.
    next = queueProfileNotifications(removeProfile(next, profile), profile, 'notificationDelete');
    changed = true;
  }
  if (bitIsSet(resetOptions, option.resetDefaultSmdpAddress) && next.defaultDpAddress !== undefined) {
    const { defaultDpAddress: _removed, ...rest } = next;
    next = rest;
    changed = true;
  }
  if (!changed) return answer(result.nothingToDelete);
  context.commit(next);
  return answer(result.ok);
};
