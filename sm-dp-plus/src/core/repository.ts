// The storage interface of the SM-DP+. The core only talks to this; `adapters/storage/` implements it
// (SQLite by default). Every method returns a promise so that a networked database (PostgreSQL) can be
// added as another adapter without touching the core. All reads and writes happen inside `transaction`,
// which is atomic: a state change and everything it implies (order update, operator notification) commit
// together or not at all.
import type { ProfileEvent, ProfileState } from './profileLifecycle.js';
import type { OutboxTransaction } from '@zkesim/rsp-server';
import type { EidDigits, IccidDigits, ImeiDigits } from '@zkesim/protocol';
import type { MatchingId } from './identifiers.js';

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

/** One profile in the inventory: the template plus the values that personalise it. */
export interface ProfileRecord {
  iccid: IccidDigits;
  profileType: string;
  state: ProfileState;
  imsi: string;
  /** Subscriber key and operator variant key (TS 35.206). Never logged. */
  ki: Uint8Array;
  opc: Uint8Array;
  updatedAt: number;
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
  /** SHA-256 of the confirmation code (SGP.22 §2.6: hashCc = SHA-256(SHA-256(CC) ‖ transactionId)). */
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
  /** The chain anchor record of this order's installation result (contracts' AnchorOutbox event id). */
  anchorEventId?: string;
}

export type NewOrder = Omit<OrderRecord, 'orderId' | 'confirmationCodeAttempts' | 'downloadAttempts'>;

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

export interface SmdpTransaction extends OutboxTransaction {
  putProfileTemplate(template: ProfileTemplate): Promise<void>;
  getProfileTemplate(profileType: string): Promise<ProfileTemplate | undefined>;
  listProfileTypes(): Promise<string[]>;

  insertProfile(profile: Omit<ProfileRecord, 'updatedAt'>, at: number): Promise<void>;
  getProfile(iccid: IccidDigits): Promise<ProfileRecord | undefined>;
  findAvailableProfile(profileType: string): Promise<ProfileRecord | undefined>;
  countProfiles(state?: ProfileState): Promise<number>;
  /** Moves a profile from `change.from` to `change.to`; throws StaleState if it is not in `from`. */
  setProfileState(change: ProfileStateChange): Promise<void>;
  profileHistory(iccid: IccidDigits): Promise<ProfileStateChange[]>;

  insertOrder(order: NewOrder): Promise<OrderRecord>;
  getOrder(orderId: number): Promise<OrderRecord | undefined>;
  getOpenOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined>;
  /** The most recent order for the ICCID, open or closed. */
  getLatestOrderByIccid(iccid: IccidDigits): Promise<OrderRecord | undefined>;
  getOpenOrderByMatchingId(matchingId: MatchingId): Promise<OrderRecord | undefined>;
  /** True if any order, open or closed, ever used this MatchingID (it must be unique, SGP.22 §6.3). */
  isMatchingIdTaken(matchingId: MatchingId): Promise<boolean>;
  findOpenOrdersByEid(eid: EidDigits): Promise<OrderRecord[]>;
  /** The open order whose BPP was bound in the download with this transactionId (hex, upper case). */
  getOpenOrderByBoundTransaction(transactionIdHex: string): Promise<OrderRecord | undefined>;
  updateOrder(orderId: number, patch: Partial<Omit<OrderRecord, 'orderId' | 'iccid' | 'createdAt'>>): Promise<void>;

  blockImei(imei: ImeiDigits, reason: string, at: number): Promise<void>;
  unblockImei(imei: ImeiDigits): Promise<void>;
  isImeiBlocked(imei: ImeiDigits): Promise<boolean>;

  /** Removes all orders, outbox entries, history and blocked IMEIs; every profile is available again (test instances). */
  resetOrders(at: number): Promise<void>;
}

export interface SmdpRepository {
  /** Runs `work` atomically; if it throws, nothing it wrote is kept. */
  transaction<T>(work: (tx: SmdpTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
