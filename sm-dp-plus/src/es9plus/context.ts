// What the ES9+ handlers work with: the core dependencies plus the SM-DP+'s credentials, trust anchors,
// the session table and the hooks other parts of the system attach to.
import type { EckaKeyGenerator, EidDigits, IccidDigits } from '@zkesim/protocol';
import type { PkiEntity, RspCertificate, RspCrl } from '@zkesim/pki';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import type { SessionTable } from '../core/downloadSession.js';
import type { SourceFailureLimit } from '../core/sourceFailureLimit.js';
import type { CertificateCache } from '@zkesim/rsp-server';
import type { ProfileNotificationEvent } from '../config.js';

/** One set of signing credentials, chosen per session by the CI the eUICC supports (SGP.22 §5.6.1). */
export interface SmdpCredential {
  ci: RspCertificate;
  /** SubjectKeyIdentifier of the CI: the CI public key id in euiccCiPKIdList*. */
  ciKeyId: Uint8Array;
  dpAuth: PkiEntity;
  dpPb: PkiEntity;
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
 * Makes the chain anchor record of an installation result: its event id (deterministic) and the payload the
 * chain side needs, stored in the transaction that records the result.
 */
export type AnchorRecorder = (event: InstallResultEvent) => { eventId: string; payload: string };

export type DownloadOutcome = 'installed' | 'installFailed' | 'cancelled' | 'refused';

export interface Es9Context {
  deps: CoreDeps;
  policy: OrderPolicy;
  sessions: SessionTable;
  /** Wrong confirmation codes per source address, over all orders. */
  confirmationCodeSources?: SourceFailureLimit;
  credentials: readonly SmdpCredential[];
  /** CIs trusted for eUICC chains (the eUICC's chain must end at the CI of the session's credential). */
  crls: readonly RspCrl[];
  generateEcka: EckaKeyGenerator;
  /** Parsed EUM certificates (the chain is still validated every time). */
  eumCertificates: CertificateCache;
  /** Send ReplaceSessionKeys with fresh profile protection keys in every BPP (§5.5.3). */
  profileProtectionKeys: boolean;
  /** Operations the eUICC is asked to notify this SM-DP+ of (StoreMetadata notificationConfigurationInfo). */
  profileNotifications: readonly ProfileNotificationEvent[];
  onDownloadOutcome?: (outcome: DownloadOutcome) => void;
  /** Set when anchoring is enabled: each installation result's anchor record is stored with the result. */
  anchorRecord?: AnchorRecorder;
  /** Listeners of installation results (the anchor drain, tests); called after the result is committed. */
  onInstallResult?: (event: InstallResultEvent) => void;
}
