// ES10c.DisableProfile (SGP.22 §5.7.17).
import { DisableProfileRequest, DisableProfileResponse, DisableProfileResponse_disableResult, PprIds, ProfileState } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { queueProfileNotifications } from '../core/notifications.js';
import { findProfile, hasPolicyRule, removeProfile, replaceProfile } from '../core/profiles.js';
import { decodeRequest } from '../core/requestCodec.js';

const result = DisableProfileResponse_disableResult;

export const disableProfile: Es10Handler = (request, context) => {
  const { profileIdentifier } = decodeRequest(DisableProfileRequest, request);
  const answer = (disableResult: number): Uint8Array => DisableProfileResponse.encode({ disableResult });
  const target = findProfile(context.state, profileIdentifier);
  if (target === undefined) return answer(result.iccidOrAidNotFound);
  if (target.profileState !== ProfileState.named.enabled) return answer(result.profileNotInEnabledState);
  if (hasPolicyRule(target, PprIds.named.ppr1)) return answer(result.disallowedByPolicy);
  const disabled = { ...target, profileState: ProfileState.named.disabled };
  let next = queueProfileNotifications(replaceProfile(context.state, target, disabled), disabled, 'notificationDisable');
  if (hasPolicyRule(target, PprIds.named.ppr3)) next = queueProfileNotifications(removeProfile(next, disabled), disabled, 'notificationDelete');
  context.commit(next);
  return answer(result.ok);
};
