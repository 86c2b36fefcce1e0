// Public API of the SM-DP+.
export { startSmdpServer, type RunningSmdp, type SmdpOverrides } from './main.js';
export {
  loadConfig,
  defaultConfig,
  validateConfig,
  orderPolicyOf,
  smdpConfigSchema,
  BUNDLED_PROFILES_DIRECTORY,
  ConfigError,
  type SmdpConfig,
  type CredentialConfig,
  type Es9EndpointConfig,
  type OperatorConfig,
  type LoadSmdpConfigOptions,
} from './config.js';
export type { InstallResultEvent, DownloadOutcome } from './es9plus/context.js';
export { buildBoundProfilePackage, type BoundProfilePackageInput, type ProfileProtectionKeys } from './es8plus/boundProfilePackage.js';
export type { Es9plusHooks } from './es9plusWiring.js';
export { importProfiles, ImportError, type TemplateFile, type ImportResult, type ImportOptions } from './inventory/importProfiles.js';
export { parseProfileMetadata, storeMetadataRequest, ProfileMetadataError, type ProfileMetadata } from './inventory/profileMetadata.js';
export { readTemplateFiles } from './inventory/templateFiles.js';
export { setOrderSubscriberIdentity, smdpSubscriberEraser, SubscriberIdentityRefused } from './core/subscriberIdentity.js';
export { parseFixtures, FixtureError, type Fixtures, type OrderFixture } from './provisioning/fixtures.js';
export { provision, resetToFixtures, type ProvisionedOrder } from './provisioning/provision.js';
export { openRepository, type StorageConfig, type OpenedRepository } from './storage/openRepository.js';
export { SqliteRepository } from './storage/sqlite/sqliteRepository.js';
export { SealedValueError, sealedColumn, type SecretSealer } from './core/secretSealer.js';
export { AesGcmSealer } from './adapters/secrets/aesGcmSealer.js';
export { KEK_ENVIRONMENT_VARIABLE, KeyEncryptionKeyError, loadKeyEncryptionKey, loadSealer, secretsOf } from './adapters/secrets/keyEncryptionKey.js';
export type {
  SmdpRepository, SmdpTransaction, InventoryTransaction, OrderTransaction, AnchorRecordTransaction, TestInstanceStore, Transactional, StorageHealth,
} from './core/repository.js';
export { AnchorDrain, activityTagsOf, anchorRecordOf } from './adapters/chainAnchor.js';
export { profileStates, profileEvents, profileTransitions, IllegalTransition, type ProfileState, type ProfileEvent } from './core/profileLifecycle.js';
export { ERASURE_PATH, ONBOARDING_PATH } from './onboarding/onboardingRoute.js';
export type { ErasureAnswer } from './onboarding/eraseSubscriber.js';
export { openOnboardingStore, type OnboardingLink, type OnboardingStore } from './onboarding/onboardingStore.js';
export { referenceHash, type OnboardingAnswer, type OnboardingRequest, type SubscriberChain } from './onboarding/onboardSubscriber.js';
export { ANCHOR_BATCHES_PATH, ORDER_STATUS_PATH, MAX_BATCHES } from './operatorApi/operatorApiRoute.js';
export { anchorProofFromJson, type AnchorProofJson, type BatchJson } from './operatorApi/anchorJson.js';
export type { OrderStatus } from './orderStatus.js';
export { NotificationPoint, type NotificationPointId } from './es2plus/handleDownloadProgressInfo.js';
