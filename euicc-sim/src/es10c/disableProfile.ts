// ES10c.DisableProfile (SGP.22 §5.7.17).
import { DisableProfileRequest, DisableProfileResponse } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { queueProfileNotifications } from '../core/notifications.js';
import { findProfile, hasPolicyRule, removeProfile, replaceProfile } from '../core/profiles.js';
import { decodeRequest } from '../core/requestCodec.js';

const result = { ok: 0, iccidOrAidNotFound: 1, profileNotInEnabledState: 2, disallowedByPolicy: 3 } as const;

export const disableProfile: Es10Handler = (request, context) => {
  const { profileIdentifier } = decodeRequest(DisableProfileRequest, request);
  const answer = (disableResult: number): Uint8Array => DisableProfileResponse.encode({ disableResult });
  const target = findProfile(context.state, profileIdentifier);
  if (target === undefined) return answer(result.iccidOrAidNotFound);
  if (target.profileState !== 1) return answer(result.profileNotInEnabledState);
  if (hasPolicyRule(target, 1)) return answer(result.disallowedByPolicy);
  const disabled = { ...target, profileState: 0 as const };
  let next = queueProfileNotifications(replaceProfile(context.state, target, disabled), disabled, 'notificationDisable');
  if (hasPolicyRule(target, 3)) next = queueProfileNotifications(removeProfile(next, disabled), disabled, 'notificationDelete');
  context.commit(next);
  return answer(result.ok);
};
