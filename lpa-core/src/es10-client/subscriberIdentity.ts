// Vendor ES10 extension GetSubscriberIdentity (protocol/asn1/ZkesimIdentity.asn, tag 'FA'): the subscriber
// identity token of the enabled profile, sent as one STORE DATA command like every ES10 function (SGP.22
// v2.2.2 §5.7.2). An eUICC without the extension answers with a status word (6A88 on the software eUICC).
import {
  GetSubscriberIdentityRequest, GetSubscriberIdentityResponse, GetSubscriberIdentityResponse_identityError, type Es10Sender,
  type SubscriberIdentityResult,
} from '@zkesim/protocol';
import { errorAlternative, es10Call } from './call.js';

/**
 * The identity of the enabled profile: its ICCID and the public part, plus the identity secret only when
 * `includeSecret` (a proof needs it; showing the identity does not, so it never leaves the card for that).
 */
export async function getSubscriberIdentity(channel: Es10Sender, includeSecret = false): Promise<SubscriberIdentityResult> {
  const { value } = await es10Call(
    channel, 'GetSubscriberIdentity', GetSubscriberIdentityRequest, includeSecret ? { includeSecret } : {}, GetSubscriberIdentityResponse,
  );
  if ('identityError' in value) throw errorAlternative('GetSubscriberIdentity', value.identityError, GetSubscriberIdentityResponse_identityError);
  if (includeSecret && value.identityOk.identitySecret === undefined) throw errorAlternative('GetSubscriberIdentity', GetSubscriberIdentityResponse_identityError.undefinedError, GetSubscriberIdentityResponse_identityError);
  return value.identityOk;
}
