// The storage interface of the SM-DP+, split by concern: inventory (templates, profiles), orders and the
// profile lifecycle (orders, profile state and its history, the IMEI blocklist), the operator/SM-DS outbox
// (rsp-server's OutboxTransaction) and the chain anchor records. The core only talks to these interfaces,
// each function asking for the narrowest one it needs; `src/storage/` implements them (SQLite and PostgreSQL,
// chosen by `openRepository`). Every method returns a promise, so a networked database is one more engine
// without touching the core. The guarantees an engine must give are the storage contract below.
import type { ProfileEvent, ProfileState } from './profileLifecycle.js';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { EidDigits, IccidDigits, ImeiDigits, ProfilePolicyRule } from '@zkesim/protocol';
import type { MatchingId } from './identifiers.js';
import type { DownloadSessionStore, SessionLimits } from './downloadSession.js';

/** A profile template: an unprotected profile package (SAIP DER) that profiles of one type are made from. */
export interface ProfileTemplate {
  profileType: string;
  /** Concatenated DER ProfileElements, as imported. */
  upp: Uint8Array;
  /** Where it came from (file name), for operators. */
  source: string;
  serviceProviderName: string;
  profileName: string;
}

/** One notificationConfigurationInfo entry: which operations the eUICC reports, and where to. */
export interface NotificationConfiguration {
  events: ('notificationInstall' | 'notificationEnable' | 'notificationDisable' | 'notificationDelete')[];
  /** FQDN the eUICC sends these notifications to. */
  address: string;
}

/**
 * Operator-given metadata of a profile (SGP.22 §4.4 StoreMetadataRequest, validated and encoded by
 * inventory/profileMetadata.ts); every field optional (the template and the configuration fill in the rest).
 */
export interface ProfileMetadata {
  /** Overrides the template's service provider name (at most 32 characters). */
  serviceProviderName?: string;
  /** Overrides the template's profile name (at most 64 characters). */
  profileName?: string;
  iconType?: 'jpg' | 'png';
  /** The icon, base64 (at most 1024 bytes); needs iconType. */
  icon?: string;
  profileClass?: 'test' | 'provisioning' | 'operational';
  /** The Profile Owner: mccMnc as 3 bytes in hex, coded as in 3GPP TS 24.008 (MCC 234 / MNC 15: "32F451"); GID1/GID2 in hex. */
  profileOwner?: { mccMnc: string; gid1?: string; gid2?: string };
  /** PPR1, PPR2, PPR3 (§2.9.1). */
  profilePolicyRules?: ProfilePolicyRule[];
  /** Replaces the configuration's profileNotifications for this profile (an empty list asks for none). */
  notificationConfiguration?: NotificationConfiguration[];
}

/**
 * Subscriber key and operator variant key (TS 35.206) of a profile. Never logged; sealed at rest by the store,
 * opened only by `getProfileSecrets` (personalisation), and empty once the profile is installed
 * (`eraseProfileSecrets`: the operator keeps its own copy).
 */
export interface ProfileSecrets {
  ki: Uint8Array;
  opc: Uint8Array;
}

/**
 * One profile in the inventory: the template plus the values that personalise it. Its secrets are not part of
 * it: a profile read opens nothing (`getProfileSecrets` does).
 */
export interface ProfileRecord {
  iccid: IccidDigits;
  profileType: string;
  state: ProfileState;
  imsi: string;
  /** Metadata given with this profile (import-profiles, provision); absent: the template's names only. */
  metadata?: ProfileMetadata;
  updatedAt: number;
}

/** A profile to insert: its record and its secrets. */
export type NewProfile = Omit<ProfileRecord, 'updatedAt'> & ProfileSecrets;

/**
 * What `getOrderWithProfile` also reads, in the same statement: the profile's template (its names only, or whole
 * with the UPP), its sealed secrets.
 */
export interface OrderReadParts {
  template?: 'names' | 'whole';
  secrets?: boolean;
  /** The order's sealed boundProfilePackage (a retry reuses it); without this the order is read without it. */
  boundProfilePackage?: boolean;
}

/** A template without its UPP: what the profile metadata of a download needs. */
export type ProfileTemplateNames = Omit<ProfileTemplate, 'upp'>;

/** An order read together with its profile, in one statement. */
export interface OrderWithProfile {
  order: OrderRecord;
  profile: ProfileRecord;
  /** The profile's template, when asked for (`parts.template`): with its UPP when asked for whole. */
  template?: ProfileTemplateNames | ProfileTemplate;
  /** When asked for (`parts.secrets`): opens the Ki and OPc read (sealed) with the row; nothing is opened until called. */
  openSecrets?: () => Promise<ProfileSecrets>;
}

/** Per-order device constraints an operator may set. */
export interface DeviceConstraints {
  /** If set, the device's TAC (first 8 IMEI digits) must be one of these. */
  allowedTacs?: string[];
  /** The device must send its IMEI (so the blocklist can be checked). */
  imeiRequired?: boolean;
}

export interface OrderRecord {
  orderId: number;
  iccid: IccidDigits;
  eid?: EidDigits;
  matchingId?: MatchingId;
  /**
   * SHA-256 of the confirmation code (SGP.22 §2.6: hashCc = SHA-256(SHA-256(CC) ‖ transactionId)). It cannot
   * be a slow salted hash, since hashCc is computed from it; the store seals it at rest instead.
   */
  confirmationCodeHash?: Uint8Array;
  releaseFlag: boolean;
  smdsAddress?: string;
  /** Who placed the order (the operator's client identity) and where its callbacks go. */
  operatorId: string;
  callbackUrl?: string;
  deviceConstraints?: DeviceConstraints;
  createdAt: number;
  expiresAt?: number;
  confirmationCodeAttempts: number;
  downloadAttempts: number;
  closedAt?: number;
  closeReason?: string;
  /** Set when the BPP is bound (hex of the transactionId) with the eUICC certificate (DER) of that session. */
  boundTransactionId?: string;
  euiccCertificate?: Uint8Array;
  /**
   * The binding (SGP.22 v2.2.2 §3.1.3): the eUICC it was made for and its otPK.EUICC.ECKA, so a retry from
   * that eUICC can reuse it (bppEuiccOtpk in smdpSigned2) and no other eUICC can take the order over.
   */
  boundEid?: EidDigits;
  boundEuiccOtpk?: Uint8Array;
  /**
   * SECRET: the Bound Profile Package of the binding, kept while the order is open for a retry that reuses
   * it; cleared when the order closes or the binding is dropped. Never logged.
   */
  boundProfilePackage?: Uint8Array;
  /** The chain anchor record of this order's installation result (contracts' AnchorOutbox event id). */
  anchorEventId?: string;
  /**
   * SECRET: the subscriber's identity for the ZK identity layer, the DER of a SubscriberIdentityToken
   * (protocol/asn1/ZkesimIdentity.asn, identity secret included), which personalisation adds to the profile as
   * a PE-NonStandard. Given by the caller (core/subscriberIdentity.ts); kept only while the order is open and
   * dropped when it closes (installation result, cancel, expiry), like boundProfilePackage. Never logged.
   */
  subscriberIdentityToken?: Uint8Array;
  /**
   * Lab mode only (`lab: true` in the configuration): after a successful installation the order is not
   * closed but downloadable again (profileLifecycle `installSucceededReusable`), for conformance runs.
   */
  reusable?: boolean;
  /**
   * Profile Policy Rules this order sets on its profile, over the profile's own metadata (provision
   * fixtures); kept with the order so that a reset gives the profile back its own rules.
   */
  profilePolicyRules?: ProfilePolicyRule[];
}

/** How `getOrderWithProfile` finds an order: by id, or the open order of a MatchingID or of a bound transactionId. */
export type OrderKey = { orderId: number } | { openMatchingId: MatchingId } | { openBoundTransactionId: string };

export type NewOrder = Omit<OrderRecord, 'orderId' | 'confirmationCodeAttempts' | 'downloadAttempts'>;

/**
 * The fields `updateOrder` may set. The attempt counters are not among them: they only ever grow, through
 * `incrementDownloadAttempts` / `incrementConfirmationCodeAttempts`, so that no update is lost.
 */
export type OrderPatch = Partial<Omit<OrderRecord, 'orderId' | 'iccid' | 'createdAt' | 'confirmationCodeAttempts' | 'downloadAttempts'>>;

export interface ProfileStateChange {
  iccid: IccidDigits;
  from: ProfileState;
  to: ProfileState;
  event: ProfileEvent;
  at: number;
}

/** Raised when the stored state is not the one a compare-and-set expected (a concurrent change). */
export class StaleState extends Error {
  override readonly name = 'StaleState';
  constructor(
    readonly iccid: string,
    readonly expected: ProfileState,
  ) {
    super(`profile ${iccid} is no longer in state ${expected}`);
  }
}


/** An installation result's chain anchor record, kept until the chain layer's outbox has it. */
export interface AnchorRecordEntry {
  id: number;
  orderId: number;
  /** The record's id on the chain side; deterministic, so handing the record over twice is one event. */
  eventId: string;
  /** What the chain side needs to rebuild the record (JSON text made by the anchoring adapter; hashes only). */
  payload: string;
  createdAt: number;
}

/** Reading a profile (its secrets are not part of it: `getProfileSecrets`): shared by the inventory and the lifecycle. */
export interface ProfileLookup {
  getProfile(iccid: IccidDigits): Promise<ProfileRecord | undefined>;
}

/** The inventory: profile templates and the profiles made from them. */
export interface InventoryTransaction extends ProfileLookup {
  putProfileTemplate(template: ProfileTemplate): Promise<void>;
  getProfileTemplate(profileType: string): Promise<ProfileTemplate | undefined>;
  listProfileTypes(): Promise<string[]>;
  insertProfile(profile: NewProfile, at: number): Promise<void>;
  /** Ki and OPc opened (empty once erased): the one read that unseals them, for personalisation. */
  getProfileSecrets(iccid: IccidDigits): Promise<ProfileSecrets | undefined>;
  /** An Available profile of the type. Another transaction may be taking it: the state change that follows decides. */
  findAvailableProfile(profileType: string): Promise<ProfileRecord | undefined>;
  countProfiles(state?: ProfileState): Promise<number>;
}

/** Orders and the profile lifecycle: orders, profile state and its history, the IMEI blocklist. */
export interface OrderTransaction extends ProfileLookup {
  /**
   * Compare-and-set: moves the profile from `change.from` to `change.to` and appends the change to the
   * history, as one conditional write; throws StaleState if the profile is no longer in `from`.
   */
  setProfileState(change: ProfileStateChange): Promise<void>;
  profileHistory(iccid: IccidDigits): Promise<ProfileStateChange[]>;
  /**
   * Forgets the profile's secrets once it is installed: Ki and OPc become empty, and its orders' confirmation
   * code digests are removed. The SM-DP+ never needs them again (an installed profile is never bound anew).
   * Committed with the transaction that calls it; what the engine keeps of the old bytes (SQLite: none once the
   * WAL is checkpointed, freed cells overwritten; PostgreSQL: old row versions until VACUUM) is sealed ciphertext.
   * Writes only the profile row and the orders of that ICCID that still hold a digest, found by index.
   */
  eraseProfileSecrets(iccid: IccidDigits): Promise<void>;

  /** Throws if the profile already has an open order or the MatchingID was ever used (enforced by the store). */
  insertOrder(order: NewOrder): Promise<OrderRecord>;
  getOrder(orderId: number): Promise<OrderRecord | undefined>;
  /**
   * An order with its profile in one statement, found by order id or as the open order of a MatchingID or of a
   * bound transactionId (hex, upper case), with the `parts` asked for; the order is locked as `getOrder` locks it.
   * The order's boundProfilePackage is there only when asked for (`parts.boundProfilePackage`).
   */
  getOrderWithProfile(key: OrderKey, parts?: OrderReadParts): Promise<OrderWithProfile | undefined>;
  getOpenOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined>;
  /** The most recent order for the ICCID, open or closed. */
  getLatestOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined>;
  getOpenOrderByMatchingId(matchingId: MatchingId): Promise<OrderRecord | undefined>;
  /** True if any order, open or closed, ever used this MatchingID (it must be unique, SGP.22 §6.3). */
  isMatchingIdTaken(matchingId: MatchingId): Promise<boolean>;
  /**
   * The open orders of an EID that have no MatchingID, oldest first: those the default SM-DP+ address use case
   * may serve (SGP.22 v2.2.2 §3.1.2). An order with a MatchingID is found by it.
   */
  findOpenOrdersByEidWithoutMatchingId(eid: EidDigits): Promise<OrderRecord[]>;
  /** Open orders whose expiry time is at or before `now`, soonest first, at most `limit`. */
  findExpiredOpenOrders(now: number, limit: number): Promise<OrderRecord[]>;
  /** The open order whose BPP was bound in the download with this transactionId (hex, upper case). */
  getOpenOrderByBoundTransaction(transactionIdHex: string): Promise<OrderRecord | undefined>;
  /**
   * Throws if a matching ID given in the patch is already used (enforced by the store). A patch that
   * closes the order (closedAt) also drops its boundProfilePackage and subscriberIdentityToken: a closed
   * order keeps no BPP and no identity secret.
   */
  updateOrder(orderId: number, patch: OrderPatch): Promise<void>;
  /** Adds one to the order's download attempts in a single write and returns the new count. */
  incrementDownloadAttempts(orderId: number): Promise<number>;
  /** Adds one to the order's wrong confirmation codes in a single write and returns the new count. */
  incrementConfirmationCodeAttempts(orderId: number): Promise<number>;

  blockImei(imei: ImeiDigits, reason: string, at: number): Promise<void>;
  unblockImei(imei: ImeiDigits): Promise<void>;
  isImeiBlocked(imei: ImeiDigits): Promise<boolean>;
}

/**
 * The chain anchor records of installation results: written in the transaction that records the result,
 * drained later into the chain layer's anchor outbox (adapters/chainAnchor.ts).
 */
export interface AnchorRecordTransaction {
  /** Queues a record; a second record with the same event id is ignored. Returns the entry's id. */
  enqueueAnchorRecord(entry: { orderId: number; eventId: string; payload: string; at: number }): Promise<number>;
  /** Records not yet drained, oldest first. */
  pendingAnchorRecords(limit: number): Promise<AnchorRecordEntry[]>;
  markAnchorRecordDrained(id: number, at: number): Promise<void>;
}

/**
 * The activity log's unused tags per profile (contracts/src/identity/activity.ts): set at the installation
 * result of an order that carried a subscriber identity, taken one per later profile event.
 */
export interface ActivityTagTransaction {
  /** Replaces the profile's unused tags: `tags[k]` is the tag of event `firstIndex + k`. */
  putActivityTags(iccid: IccidDigits, firstIndex: number, tags: readonly Uint8Array[]): Promise<void>;
  /** Takes the profile's next unused tag (single write), or undefined when it has none (left). */
  takeActivityTag(iccid: IccidDigits): Promise<{ index: number; tag: Uint8Array } | undefined>;
  /** Forgets the profile's unused tags (the subscriber's erasure); true if it had any. */
  eraseActivityTags(iccid: IccidDigits): Promise<boolean>;
}

/** Everything one transaction of the SM-DP+'s store offers. */
export interface SmdpTransaction extends InventoryTransaction, OrderTransaction, OutboxTransaction, AnchorRecordTransaction, ActivityTagTransaction {}

/** Something that runs work atomically over transactions of type `Tx`. */
export interface Transactional<Tx> {
  /** Runs `work` atomically; if it throws, nothing it wrote is kept. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface StorageHealth {
  /** Which engine answers (for operators). */
  engine: string;
  /** The schema version after the engine's migrations. */
  schemaVersion: number | string;
}

/**
 * The SM-DP+'s store.
 *
 * Storage contract: what every engine must guarantee, and all the core relies on.
 *
 * 1. Atomicity. `transaction(work)` commits everything `work` wrote, or, if `work` throws (or the engine
 *    fails), nothing. A state change and what it implies (order update, outbox entries, anchor records)
 *    are never seen apart. A committed transaction is durable: it survives the process being killed.
 * 2. Visibility. Inside a transaction every read sees that transaction's own earlier writes. A transaction
 *    sees every transaction that committed before it started; it never sees uncommitted writes of another.
 *    Statement-level snapshots (READ COMMITTED) are enough: the core does not need one snapshot for the
 *    whole transaction, because every decision another transaction could invalidate is guarded by 3 to 5.
 * 3. Compare-and-set of profile state. `setProfileState` is one conditional write ("set to `to` where the
 *    state is `from`") evaluated against the latest committed row: of two transactions moving the same
 *    profile from the same state, exactly one succeeds and the other gets StaleState (and, as it throws,
 *    rolls back). Every order change that matters (allocation, binding, closing) goes with a profile state
 *    change, so this is what serialises the work on one profile.
 * 4. Counters. `incrementDownloadAttempts`, `incrementConfirmationCodeAttempts` and the outbox's
 *    `rescheduleOutbox` (attempts) are single atomic writes (`SET n = n + 1 … RETURNING n`) that return the
 *    new value: concurrent increments are never lost, and the caller decides on the value returned (the
 *    outbox's next due time on its attempt count), never on one it read earlier.
 * 5. Uniqueness. One profile per ICCID, one open order per profile and MatchingIDs unique for ever are
 *    enforced by the store at write time (`insertProfile`, `insertOrder`, `updateOrder` throw; the
 *    transaction rolls back), not by an earlier read. Anchor records are unique by event id.
 * 6. No serialisation required. Transactions may run concurrently. The SQLite engine does serialise them
 *    (one at a time in the process, BEGIN IMMEDIATE between processes), so it never reports StaleState for
 *    a race; the PostgreSQL engine does not (READ COMMITTED, several processes): under contention it fails the
 *    losing request with StaleState (or a uniqueness error) rather than corrupt state, and its row locks make
 *    most races wait instead (an open order is locked while it is read for a change; `findAvailableProfile`
 *    skips profiles another transaction is taking). Retrying such a request is the caller's choice.
 * 7. Outboxes. Entries enqueued in a transaction exist exactly when it commits. On an engine shared by
 *    several processes (PostgreSQL) `dueOutbox` claims the entries it returns (FOR UPDATE SKIP LOCKED, then a
 *    lease, `storage.outboxClaimMs`), so the OutboxWorkers of all processes never send one entry at once; an
 *    entry whose claimant died is due again when the lease ends (at least once). SQLite has one consumer per
 *    store. Anchor records are not claimed: handing one over twice is harmless (its event id makes it one event).
 */
export interface SmdpRepository extends Transactional<SmdpTransaction> {
  /**
   * Present when several processes share the store (PostgreSQL): the ES9+ download sessions kept in it, so
   * that any process serves any call of a download. Absent: each process keeps its own in memory.
   */
  sharedDownloadSessions?(limits: SessionLimits): DownloadSessionStore;
  /** For health checks: answers only when the store does. */
  health(): Promise<StorageHealth>;
  close(): Promise<void>;
}

/**
 * Operations for test instances only (`zkesim smdp reset`), never used by the protocol handlers: kept off
 * SmdpRepository so that production code cannot call them. Every engine implements it for the CLI.
 */
export interface TestInstanceStore {
  /**
   * Atomically removes all orders, outbox entries, anchor records, history and blocked IMEIs; every
   * profile is Available again.
   */
  resetOrders(at: number): Promise<void>;
}
