// The identity layer's TypeScript API (issue #15): Semaphore v4 identities and commitments, proofs made with
// local artifacts and verified off chain and on chain, the subscriber registry, and Subscriber calls by proof.
export { Identity, createIdentity, exportIdentity, commitmentBytes32, walletAddress, SNARK_SCALAR_FIELD } from './identity.js';
export { semaphoreArtifacts, semaphoreArtifactDirectory, MIN_TREE_DEPTH, MAX_TREE_DEPTH, type SnarkArtifactPaths } from './artifacts.js';
export {
  Group,
  generateIdentityProof,
  verifyIdentityProof,
  releaseProver,
  toSolidityProof,
  parseSemaphoreProof,
  readSemaphoreProofFile,
  semaphoreProofSchema,
  type ProofOptions,
  type SemaphoreProof,
  type SolidityProof,
} from './proofs.js';
export { readOnChainGroup, type OnChainGroupRef } from './onChainGroup.js';
export { SUBSCRIBER_PROOF_DEPTH, subscriberCallScope, subscriberCallMessage, proveSubscriberCall, type SubscriberCall } from './subscriberCall.js';
export { SubscriberRegistry, readSubscriberGroup, type OnboardedSubscriber, type OnChainVerdict, type SendTransaction } from './registry.js';
export {
  deployIdentityContracts,
  deployWithSigner,
  DEFAULT_MERKLE_TREE_DURATION_SECONDS,
  type DeployContract,
  type IdentityDeployment,
  type IdentityDeploymentOptions,
} from './deployIdentity.js';
export {
  ACTIVITY_TAGS_PER_PROFILE,
  activityMessage,
  activityScope,
  activityTag,
  activityTags,
  identityNullifier,
  proveActivity,
  verifyActivityClaim,
  type ActivityClaim,
  type ActivityVerdict,
} from './activity.js';
export {
  eraseSubscriber,
  type ErasureReport,
  type SubscriberLink,
  type SubscriberLinks,
  type SubscriberGroup,
  type SubscriberLinkEraser,
} from './erasure.js';
