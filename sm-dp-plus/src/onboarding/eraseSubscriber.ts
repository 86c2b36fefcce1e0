// Right to erasure (GDPR art. 17) through the onboarding API: the operator that onboarded a subscriber asks us,
// with the same KYC reference, to forget them. The steps are contracts' `eraseSubscriber` (one home for the
// order and its reasons): the SM-DP+'s links (the profile's unused activity tags, an open order's identity
// token), the commitment's removal from the subscriber group on chain (the stack's operator account, the shared
// ChainClient the onboarding sends through), then the onboarding link last, since it is what finds the rest: a
// failure half-way is repeated with the same request. Idempotent: a reference with no link (already erased, or
// never onboarded) answers `erased: false`.
//
// An operator erases only its own subscribers: the link is found by HMAC(key, operatorId ‖ 0 ‖ reference), so
// another operator's equal reference names another (or no) link, and the answer does not tell whether some other
// operator has a subscriber under that reference.
import { eraseSubscriber, type ErasureReport } from '@zkesim/contracts';
import { smdpSubscriberEraser } from '../core/subscriberIdentity.js';
import type { OperatorIdentity } from '../es2plus/operator.js';
import { checkKycReference, referenceHash, underReferenceLock, type OnboardingDeps } from './onboardSubscriber.js';

export interface ErasureAnswer {
  /** Whether there was a link to erase (false on a repeated request). */
  erased: boolean;
  /** Whether the commitment was still in the group and got removed. */
  revoked: boolean;
  activityTagsErased: number;
  identityTokensDropped: number;
}

export async function eraseOnboardedSubscriber(deps: OnboardingDeps, operator: OperatorIdentity, request: { kycReference: string }): Promise<ErasureAnswer> {
  checkKycReference(request.kycReference);
  const hash = referenceHash(deps.referenceKey, operator.operatorId, request.kycReference);
  const report: ErasureReport = await underReferenceLock(hash, () =>
    eraseSubscriber({ reference: hash }, { links: deps.store, smdp: smdpSubscriberEraser(deps.core.repository), group: deps.chain }),
  );
  if (report.found) {
    // No reference, no commitment in the log: the erased subscriber must not reappear there.
    deps.core.logger.info({ function: 'eraseSubscriber', revoked: report.revoked, activityTagsErased: report.activityTagsErased }, 'subscriber erased');
  }
  return { erased: report.found, revoked: report.revoked, activityTagsErased: report.activityTagsErased, identityTokensDropped: report.identityTokensDropped };
}
