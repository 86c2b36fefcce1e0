// ES10c.EnableProfile (SGP.22 §5.7.16): enables a disabled profile and disables the enabled one, with the
// enable/disable notifications their metadata asks for.
import { EnableProfileRequest, EnableProfileResponse, EnableProfileResponse_enableResult, PprIds, ProfileState } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { queueProfileNotifications } from '../core/notifications.js';
import { enabledProfile, findProfile, hasPolicyRule, removeProfile, replaceProfile } from '../core/profiles.js';
import { decodeRequest } from '../core/requestCodec.js';

const result = EnableProfileResponse_enableResult;

export const enableProfile: Es10Handler = (request, context) => {
  const { profileIdentifier, refreshFlag } = decodeRequest(EnableProfileRequest, request);
  const answer = (enableResult: number): Uint8Array => EnableProfileResponse.encode({ enableResult });
  const { state } = context;
  const target = findProfile(state, profileIdentifier);
  if (target === undefined) return answer(result.iccidOrAidNotFound);
  if (target.profileState !== ProfileState.named.disabled) return answer(result.profileNotInDisabledState);
  // Quirk: some cards only enable without REFRESH. SPEC-AMBIGUITY: they answer undefinedError(127).
  if (state.quirks.enableRequiresRefreshFlagFalse && refreshFlag) return answer(result.undefinedError);
  const current = enabledProfile(state);
  // SGP.22 §2.9.2.x PPR1: a profile whose disabling is not allowed blocks enabling another one.
  if (current !== undefined && hasPolicyRule(current, PprIds.named.ppr1)) return answer(result.disallowedByPolicy);
  let next = state;
  if (current !== undefined) {
    const disabled = { ...current, profileState: ProfileState.named.disabled };
    next = queueProfileNotifications(replaceProfile(next, current, disabled), disabled, 'notificationDisable');
    // SGP.22 PPR3: the profile is deleted once it has been disabled.
    if (hasPolicyRule(current, PprIds.named.ppr3)) next = queueProfileNotifications(removeProfile(next, disabled), disabled, 'notificationDelete');
  }
  const enabled = { ...target, profileState: ProfileState.named.enabled };
  next = queueProfileNotifications(replaceProfile(next, target, enabled), enabled, 'notificationEnable');
  context.commit(next);
  return answer(result.ok);
};
