// ES10c.DeleteProfile (SGP.22 §5.7.18): removes a disabled profile and its ISD-P.
import { DeleteProfileRequest, DeleteProfileResponse, DeleteProfileResponse_deleteResult, PprIds, ProfileState } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { queueProfileNotifications } from '../core/notifications.js';
import { findProfile, hasPolicyRule, removeProfile } from '../core/profiles.js';
import { decodeRequest } from '../core/requestCodec.js';

const result = DeleteProfileResponse_deleteResult;

export const deleteProfile: Es10Handler = (request, context) => {
  const identifier = decodeRequest(DeleteProfileRequest, request);
  const answer = (deleteResult: number): Uint8Array => DeleteProfileResponse.encode({ deleteResult });
  const target = findProfile(context.state, identifier);
  if (target === undefined) return answer(result.iccidOrAidNotFound);
  if (target.profileState !== ProfileState.named.disabled) return answer(result.profileNotInDisabledState);
  if (hasPolicyRule(target, PprIds.named.ppr2)) return answer(result.disallowedByPolicy);
  context.commit(queueProfileNotifications(removeProfile(context.state, target), target, 'notificationDelete'));
  return answer(result.ok);
};
