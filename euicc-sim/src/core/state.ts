// The persistent state of one eUICC. Everything a real card keeps in non-volatile memory lives here; the
// RSP session (challenge, transaction, one-time keys) is volatile and lives in ./session.ts instead.
// Field names follow the SGP.22 ASN.1 (ProfileInfo, NotificationMetadata) so the ES10 handlers map 1:1.
import type { CurveName, NotificationConfigurationInformation, NotificationEvent, OperatorID, PprIds } from '@zkesim/protocol';
import type { Quirks } from './quirks.js';

/** SGP.22 NotificationEvent named bits (RSPDefinitions). */
export type NotificationEventName = keyof typeof NotificationEvent.named;

/** One eUICC key pair with its certificate chain (SGP.22 §4.5.2: CERT.EUICC.ECDSA signed by CERT.EUM.ECDSA). */
export interface EuiccCredential {
  readonly curve: CurveName;
  /** SubjectKeyIdentifier of the CI this chain ends at (the CI PKId of SGP.22 §4.5.2.1). */
  readonly ciPKId: Uint8Array;
  readonly euiccCertificate: Uint8Array;
  readonly eumCertificate: Uint8Array;
  /** SK.EUICC.ECDSA as PKCS#8 DER. */
  readonly privateKey: Uint8Array;
}

/** A PE-NonStandard element (SAIP §8.x), kept exactly as received. */
export interface NonStandardElement {
  readonly issuerID: string;
  readonly content: Uint8Array;
}

/** Network access parameters taken from the SAIP profile (what a modem needs to attach). */
export interface NetworkAccessParameters {
  /** EF.IMSI content as stored in the profile (TS 31.102 §4.2.2), when the profile carries it. */
  readonly imsi?: Uint8Array;
  /** AKA algorithm identifier from PE-AKAParameter (SAIP algoID), when present. */
  readonly akaAlgorithmId?: number;
}

/** One installed profile: its ISD-P, metadata (StoreMetadataRequest + nickname) and its profile elements. */
export interface ProfileRecord {
  readonly iccid: Uint8Array;
  readonly isdpAid: Uint8Array;
  /** SGP.22 ProfileState: disabled(0), enabled(1). */
  readonly profileState: 0 | 1;
  readonly profileNickname?: string;
  readonly serviceProviderName: string;
  readonly profileName: string;
  readonly iconType?: number;
  readonly icon?: Uint8Array;
  /** SGP.22 ProfileClass: test(0), provisioning(1), operational(2). */
  readonly profileClass: number;
  readonly notificationConfigurationInfo: readonly NotificationConfigurationInformation[];
  readonly profileOwner?: OperatorID;
  /** DpProprietaryData from ConfigureISDP, as received (DER), so SM-DP+ extensions survive. */
  readonly dpProprietaryData?: Uint8Array;
  readonly profilePolicyRules?: PprIds;
  /** Index into EuiccState.credentials of the key that signed this profile's install result. */
  readonly credentialIndex: number;
  readonly networkAccess: NetworkAccessParameters;
  readonly nonStandardElements: readonly NonStandardElement[];
  /** The DER of every installed ProfileElement, in order (the ISD-P content). */
  readonly profileElements: readonly Uint8Array[];
  /** Bytes of eUICC memory the profile occupies. */
  readonly memorySize: number;
}

/** A pending notification (SGP.22 §3.5): its metadata and the signed PendingNotification DER. */
export interface NotificationRecord {
  readonly seqNumber: number;
  readonly profileManagementOperation: NotificationEventName;
  readonly notificationAddress: string;
  readonly iccid?: Uint8Array;
  /** DER of the PendingNotification: a ProfileInstallationResult (BF37) or an OtherSignedNotification (30). */
  readonly pendingNotification: Uint8Array;
}

export interface EuiccState {
  readonly eid: Uint8Array;
  readonly credentials: readonly EuiccCredential[];
  /** CI certificates whose keys this eUICC uses to verify RSP servers (euiccCiPKIdListForVerification). */
  readonly trustedCiCertificates: readonly Uint8Array[];
  readonly defaultDpAddress?: string;
  readonly rootDsAddress: string;
  readonly profiles: readonly ProfileRecord[];
  readonly notifications: readonly NotificationRecord[];
  /** Next NotificationMetadata seqNumber; SGP.22 §5.7.x: unique and increasing, 0 is valid. */
  readonly nextSeqNumber: number;
  /** Counter used to assign ISD-P AIDs. */
  readonly nextIsdpNumber: number;
  /** CRLs accepted by ES10b.LoadCRL, DER. */
  readonly crls: readonly Uint8Array[];
  readonly quirks: Quirks;
}

/** The persistence port of the core: one record per EID, written as a whole (atomic). */
export interface EuiccStore {
  load(eid: Uint8Array): EuiccState | undefined;
  save(state: EuiccState): void;
  listEids(): Uint8Array[];
}

/** Free eUICC memory in bytes after the installed profiles. */
export function freeMemory(state: EuiccState): number {
  const used = state.profiles.reduce((sum, profile) => sum + profile.memorySize, 0);
  return Math.max(0, state.quirks.totalMemoryBytes - used);
}
