// Vendor ES10 extension GetSubscriberIdentity (our module protocol/asn1/ZkesimIdentity.asn, tag 'FA'): the
// subscriber identity token the SM-DP+ put into the ENABLED profile as a PE-NonStandard, for the LPA. Only
// the enabled profile answers: an identity belongs to the subscription in use, and a disabled profile's
// identity stays unreadable until the user enables it. The secret is sent only when the request asks for it.
// SECURITY.md ("Identity secret on the device") says what handing the secret out means on a real card.
import {
  GetSubscriberIdentityRequest, GetSubscriberIdentityResponse, GetSubscriberIdentityResponse_identityError, SUBSCRIBER_IDENTITY_ISSUER_ID,
  decodeSubscriberIdentityToken,
} from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { enabledProfile } from '../core/profiles.js';
import { decodeRequest } from '../core/requestCodec.js';

const error = GetSubscriberIdentityResponse_identityError;

export const getSubscriberIdentity: Es10Handler = (request, { state }) => {
  const { includeSecret } = decodeRequest(GetSubscriberIdentityRequest, request);
  const answerError = (identityError: number) => GetSubscriberIdentityResponse.encode({ identityError });
  const profile = enabledProfile(state);
  if (profile === undefined) return answerError(error.noEnabledProfile);
  const element = profile.nonStandardElements.find((candidate) => candidate.issuerID === SUBSCRIBER_IDENTITY_ISSUER_ID);
  if (element === undefined) return answerError(error.noIdentityInProfile);
  // Checked when the profile was installed (core/profileElements.ts), so this decode does not fail.
  const token = decodeSubscriberIdentityToken(element.content);
  return GetSubscriberIdentityResponse.encode({
    identityOk: { iccid: profile.iccid, identity: token.identity, ...(includeSecret === true ? { identitySecret: token.identitySecret } : {}) },
  });
};
