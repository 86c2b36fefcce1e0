// The SQLite row shapes and their mapping to the core's records: rows are mapped here and nowhere else.
import type { OutboxEntry } from '@zkesim/rsp-server';
import type {
  DeviceConstraints, OrderKey, OrderReadParts, OrderRecord, ProfileMetadata, ProfileRecord, ProfileTemplate, ProfileTemplateNames,
} from '../../core/repository.js';
import { isProfileState, type ProfileState } from '../../core/profileLifecycle.js';
import type { EidDigits, IccidDigits, ProfilePolicyRule } from '@zkesim/protocol';
import type { MatchingId } from '../../core/identifiers.js';

/** A profile's row without its sealed columns (`profileColumns`): what a profile read selects. */
export interface ProfileRow {
  iccid: string;
  profile_type: string;
  state: string;
  imsi: string;
  metadata: string | null;
  updated_at: number;
}

/** The columns of ProfileRow: a profile read leaves the sealed Ki and OPc out (they are read by getProfileSecrets). */
export const profileColumns = 'iccid, profile_type, state, imsi, metadata, updated_at';

/** The sealed columns of a profile (SECURITY.md). */
export interface ProfileSecretsRow {
  iccid: string;
  ki: Buffer;
  opc: Buffer;
}

/**
 * An order row with its profile's columns (prefixed `p_`) and, when asked for, its template's (`t_`) and the
 * profile's sealed secrets, from `orderWithProfileSelect(parts) WHERE <on o>`: all in one statement.
 */
export type OrderWithProfileRow = OrderRow & {
  p_profile_type: string;
  p_state: string;
  p_imsi: string;
  p_metadata: string | null;
  p_updated_at: number;
  t_upp?: Buffer | null;
  t_source?: string | null;
  t_service_provider_name?: string | null;
  t_profile_name?: string | null;
  p_ki?: Buffer;
  p_opc?: Buffer;
};

/**
 * Every column of OrderRow but the sealed bound package, which getOrderWithProfile reads only when asked for
 * (`parts.boundProfilePackage`): a retry needs it, the installation result does not, and it is the largest
 * sealed value (the whole BPP) to read and open.
 */
const orderColumnsButPackage = [
  'order_id', 'iccid', 'eid', 'matching_id', 'confirmation_code_hash', 'release_flag', 'smds_address', 'operator_id', 'callback_url',
  'device_constraints', 'created_at', 'expires_at', 'confirmation_code_attempts', 'download_attempts', 'closed_at', 'close_reason',
  'bound_transaction_id', 'euicc_certificate', 'anchor_event_id', 'bound_eid', 'bound_euicc_otpk', 'reusable', 'profile_policy_rules',
  'subscriber_identity_token',
] as const satisfies readonly Exclude<keyof OrderRow, 'bound_profile_package'>[];
/** Fails to compile when OrderRow gains a column that the list above leaves out. */
export const orderColumnsListed: [Exclude<keyof OrderRow, 'bound_profile_package' | (typeof orderColumnsButPackage)[number]>] extends [never] ? true : never = true;

/** The SELECT … FROM of getOrderWithProfile; the caller adds WHERE on `o` (and PostgreSQL its lock). */
export function orderWithProfileSelect(parts: OrderReadParts = {}): string {
  const template = parts.template !== undefined;
  const secrets = parts.secrets === true;
  const orderColumnList = orderColumnsButPackage.map((column) => `o.${column}`).join(', ') + (parts.boundProfilePackage === true ? ', o.bound_profile_package' : '');
  return (
    `SELECT ${orderColumnList}, p.profile_type AS p_profile_type, p.state AS p_state, p.imsi AS p_imsi, p.metadata AS p_metadata, p.updated_at AS p_updated_at` +
    (template ? ', t.source AS t_source, t.service_provider_name AS t_service_provider_name, t.profile_name AS t_profile_name' : '') +
    (parts.template === 'whole' ? ', t.upp AS t_upp' : '') +
    (secrets ? ', p.ki AS p_ki, p.opc AS p_opc' : '') +
    ' FROM orders o JOIN profiles p ON p.iccid = o.iccid' +
    (template ? ' LEFT JOIN profile_templates t ON t.profile_type = p.profile_type' : '')
  );
}

/** getOrderWithProfile's WHERE on `o` for a key, with the engine's placeholder (`?` or `$1`), and its value. */
export function orderKeyCondition(key: OrderKey, placeholder: string): [string, number | string] {
  if ('orderId' in key) return [`o.order_id = ${placeholder}`, key.orderId];
  if ('openMatchingId' in key) return [`o.matching_id = ${placeholder} AND o.closed_at IS NULL`, key.openMatchingId];
  return [`o.bound_transaction_id = ${placeholder} AND o.closed_at IS NULL`, key.openBoundTransactionId];
}

/** The template part of an OrderWithProfileRow read with it (undefined: not asked for, or the profile type has none). */
export function templateOf(row: OrderWithProfileRow): ProfileTemplateNames | ProfileTemplate | undefined {
  // source is NOT NULL in the table: absent or null, the template was not asked for or does not exist.
  if (row.t_source === undefined || row.t_source === null) return undefined;
  const names = { profileType: row.p_profile_type, source: row.t_source, serviceProviderName: row.t_service_provider_name ?? '', profileName: row.t_profile_name ?? '' };
  return row.t_upp === undefined || row.t_upp === null ? names : { ...names, upp: new Uint8Array(row.t_upp) };
}

/** The profile part of an OrderWithProfileRow. */
export function profileRowOf(row: OrderWithProfileRow): ProfileRow {
  return { iccid: row.iccid, profile_type: row.p_profile_type, state: row.p_state, imsi: row.p_imsi, metadata: row.p_metadata, updated_at: row.p_updated_at };
}

export interface OrderRow {
  order_id: number;
  iccid: string;
  eid: string | null;
  matching_id: string | null;
  confirmation_code_hash: Buffer | null;
  release_flag: number;
  smds_address: string | null;
  operator_id: string;
  callback_url: string | null;
  device_constraints: string | null;
  created_at: number;
  expires_at: number | null;
  confirmation_code_attempts: number;
  download_attempts: number;
  closed_at: number | null;
  close_reason: string | null;
  bound_transaction_id: string | null;
  euicc_certificate: Buffer | null;
  anchor_event_id: string | null;
  bound_eid: string | null;
  bound_euicc_otpk: Buffer | null;
  /** Absent when not selected (getOrderWithProfile without `parts.boundProfilePackage`). */
  bound_profile_package?: Buffer | null;
  reusable: number;
  profile_policy_rules: string | null;
  subscriber_identity_token: Buffer | null;
}

/** A Ki/OPc column after eraseProfileSecrets: the empty blob (the columns are NOT NULL). */
export const ERASED = Buffer.alloc(0);

/**
 * The order columns sealed at rest (SECURITY.md): the confirmation-code digest, a bound BPP kept for a retry and
 * the subscriber identity an open order carries into its profile.
 */
export const sealedOrderColumns = ['confirmation_code_hash', 'bound_profile_package', 'subscriber_identity_token'] as const;
export type SealedOrderColumn = (typeof sealedOrderColumns)[number];

export const orderColumns: Record<string, string> = {
  eid: 'eid',
  matchingId: 'matching_id',
  confirmationCodeHash: 'confirmation_code_hash',
  releaseFlag: 'release_flag',
  smdsAddress: 'smds_address',
  operatorId: 'operator_id',
  callbackUrl: 'callback_url',
  deviceConstraints: 'device_constraints',
  expiresAt: 'expires_at',
  closedAt: 'closed_at',
  closeReason: 'close_reason',
  boundTransactionId: 'bound_transaction_id',
  euiccCertificate: 'euicc_certificate',
  anchorEventId: 'anchor_event_id',
  boundEid: 'bound_eid',
  boundEuiccOtpk: 'bound_euicc_otpk',
  boundProfilePackage: 'bound_profile_package',
  reusable: 'reusable',
  profilePolicyRules: 'profile_policy_rules',
  subscriberIdentityToken: 'subscriber_identity_token',
};

export function storedState(value: string): ProfileState {
  if (!isProfileState(value)) throw new Error(`database holds an unknown profile state "${value}"`);
  return value;
}

export function profileFromRow(row: ProfileRow): ProfileRecord {
  return {
    iccid: row.iccid as IccidDigits,
    profileType: row.profile_type,
    state: storedState(row.state),
    imsi: row.imsi,
    ...(row.metadata === null ? {} : { metadata: JSON.parse(row.metadata) as ProfileMetadata }),
    updatedAt: row.updated_at,
  };
}

export function orderFromRow(row: OrderRow, confirmationCodeHash: Uint8Array | undefined, boundProfilePackage: Uint8Array | undefined): OrderRecord {
  const order: OrderRecord = {
    orderId: row.order_id,
    iccid: row.iccid as IccidDigits,
    releaseFlag: row.release_flag === 1,
    operatorId: row.operator_id,
    createdAt: row.created_at,
    confirmationCodeAttempts: row.confirmation_code_attempts,
    downloadAttempts: row.download_attempts,
  };
  if (row.eid !== null) order.eid = row.eid as EidDigits;
  if (row.matching_id !== null) order.matchingId = row.matching_id as MatchingId;
  if (confirmationCodeHash !== undefined) order.confirmationCodeHash = confirmationCodeHash;
  if (row.smds_address !== null) order.smdsAddress = row.smds_address;
  if (row.callback_url !== null) order.callbackUrl = row.callback_url;
  if (row.device_constraints !== null) order.deviceConstraints = JSON.parse(row.device_constraints) as DeviceConstraints;
  if (row.expires_at !== null) order.expiresAt = row.expires_at;
  if (row.closed_at !== null) order.closedAt = row.closed_at;
  if (row.close_reason !== null) order.closeReason = row.close_reason;
  if (row.bound_transaction_id !== null) order.boundTransactionId = row.bound_transaction_id;
  if (row.euicc_certificate !== null) order.euiccCertificate = new Uint8Array(row.euicc_certificate);
  if (row.anchor_event_id !== null) order.anchorEventId = row.anchor_event_id;
  if (row.bound_eid !== null) order.boundEid = row.bound_eid as EidDigits;
  if (row.bound_euicc_otpk !== null) order.boundEuiccOtpk = new Uint8Array(row.bound_euicc_otpk);
  if (boundProfilePackage !== undefined) order.boundProfilePackage = boundProfilePackage;
  if (row.reusable === 1) order.reusable = true;
  if (row.profile_policy_rules !== null) order.profilePolicyRules = JSON.parse(row.profile_policy_rules) as ProfilePolicyRule[];
  return order;
}

export function toColumnValue(value: unknown): string | number | Buffer | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return JSON.stringify(value);
}

export interface OutboxRow {
  id: number;
  target_url: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  dead_at: number | null;
  last_error: string | null;
}

export function outboxEntryOf(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    targetUrl: row.target_url,
    body: row.body,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    ...(row.delivered_at === null ? {} : { deliveredAt: row.delivered_at }),
    ...(row.dead_at === null ? {} : { deadAt: row.dead_at }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}
