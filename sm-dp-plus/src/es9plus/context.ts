// What the ES9+ handlers work with: the core dependencies plus the SM-DP+'s credentials, trust anchors,
// the session table and the hooks other parts of the system attach to.
import type { EidDigits, IccidDigits, OneTimeEckaKeyGenerator } from '@zkesim/protocol';
import type { CertifiedSigner, RspCertificate, RspCrl } from '@zkesim/pki';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import type { DownloadSessionStore } from '../core/downloadSession.js';
import type { SourceFailureLimit } from '../core/sourceFailureLimit.js';
import type { CertificateCache } from '@zkesim/rsp-server';
import type { ProfileNotificationEvent } from '../config.js';

/** One set of signing credentials, chosen per session by the CI the eUICC supports (SGP.22 §5.6.1). */
export interface SmdpCredential {
  ci: RspCertificate;
  /** SubjectKeyIdentifier of the CI: the CI public key id in euiccCiPKIdList*. */
  ciKeyId: Uint8Array;
  /** CERT.DPauth and SK.DPauth's Signer (a key file or a PKCS#11 token, `signing.kind`). */
  dpAuth: CertifiedSigner;
  /** CERT.DPpb and SK.DPpb's Signer. */
  dpPb: CertifiedSigner;
  /** The SM-DP+ OID (registeredID in the SAN of CERT.DPauth), checked in CancelSession. */
  smdpOid: string;
}

/** What an installed (or failed) download reports to listeners such as the chain anchor outbox. */
export interface InstallResultEvent {
  orderId: number;
  /** TransactionId of the download session the result belongs to. */
  transactionId: Uint8Array;
  iccid: IccidDigits;
  eid: EidDigits | undefined;
  profileType: string;
  success: boolean;
  /** The errorResult of a failed installation (SGP.22 §5.7.6 ProfileInstallationResultData). */
  errorResult?: { bppCommandId: number; errorReason: number };
  at: number;
}

/**
 * A later event of a profile that carried a subscriber identity (enable, disable or delete notification,
 * SGP.22 §3.5), anchored under the profile's next activity tag (contracts/src/identity/activity.ts).
 */
export interface ProfileActivityEvent {
  operation: 'notificationEnable' | 'notificationDisable' | 'notificationDelete';
  profileType: string;
  activityTag: Uint8Array;
  at: number;
}

/** What is anchored: an installation result (under the identity's first activity tag when it has one) or a profile event. */
export type AnchorableEvent = (InstallResultEvent & { activityTag?: Uint8Array }) | ProfileActivityEvent;

/**
 * Makes the chain anchor record of an event: its event id (deterministic) and the payload the chain side
 * needs (hashes only), stored in the transaction that records the event.
 */
export type AnchorRecorder = (event: AnchorableEvent) => { eventId: string; payload: string };

/**
 * Derives the activity tags of a subscriber identity (from the identity secret of the order's token): the
 * first for the installation result, the rest kept with the profile for its later events.
 */
export type ActivityTagger = (identitySecret: Uint8Array) => Uint8Array[];

export type DownloadOutcome = 'installed' | 'installFailed' | 'cancelled' | 'refused';

export interface Es9Context {
  deps: CoreDeps;
  policy: OrderPolicy;
  sessions: DownloadSessionStore;
  /** Wrong confirmation codes per source address, over all orders. */
  confirmationCodeSources?: SourceFailureLimit;
  credentials: readonly SmdpCredential[];
  /** CIs trusted for eUICC chains (the eUICC's chain must end at the CI of the session's credential). */
  crls: readonly RspCrl[];
  generateEcka: OneTimeEckaKeyGenerator;
  /** Parsed EUM certificates (the chain is still validated every time). */
  eumCertificates: CertificateCache;
  /** Send ReplaceSessionKeys with fresh profile protection keys in every BPP (§5.5.3). */
  profileProtectionKeys: boolean;
  /** Operations the eUICC is asked to notify this SM-DP+ of (StoreMetadata notificationConfigurationInfo). */
  profileNotifications: readonly ProfileNotificationEvent[];
  onDownloadOutcome?: (outcome: DownloadOutcome) => void;
  /** Set when anchoring is enabled: each installation result's anchor record is stored with the result. */
  anchorRecord?: AnchorRecorder;
  /** Set with `anchorRecord`: the activity log of profiles that carry a subscriber identity. */
  activityTags?: ActivityTagger;
  /** Listeners of installation results (the anchor drain, tests); called after the result is committed. */
  onInstallResult?: (event: InstallResultEvent) => void;
}
