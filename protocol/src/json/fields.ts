// Declarative field descriptions of the SGP.22 JSON binding (SGP.22 v2.2.2 §6.5):
// each function lists its request and response fields with a kind and whether it is mandatory, and
// the TypeScript body types are derived from those lists, so each body is declared exactly once.
import type { FunctionExecutionStatus } from './header.js';

/** How a field travels in JSON and what it is inside the code. */
export interface FieldKinds {
  /** Standard base64 (RFC 4648 §4) of bytes, usually DER of an ASN.1 value → Uint8Array. */
  base64: Uint8Array;
  /** TransactionId as hex (upper case when rendered, any case accepted), 1..16 bytes → Uint8Array. */
  transactionId: Uint8Array;
  string: string;
  boolean: boolean;
  number: number;
  /** ES11 AuthenticateClient `eventEntries`. */
  eventEntries: EventEntry[];
  /** ES2+ HandleDownloadProgressInfo `notificationPointStatus` (same shape as functionExecutionStatus). */
  executionStatus: FunctionExecutionStatus;
}

export type FieldKind = keyof FieldKinds;

/** One event record returned by the SM-DS (SGP.22 §5.8.2). */
export interface EventEntry {
  eventId: string;
  rspServerAddress: string;
}

export interface FieldSpec<K extends FieldKind = FieldKind, M extends boolean = boolean> {
  readonly kind: K;
  readonly mandatory: M;
  /** For `string`: the value must match (e.g. the 32 digits of an EID). */
  readonly pattern?: RegExp;
  /** For `string`: the allowed values (e.g. `Available` / `Unavailable`). */
  readonly values?: readonly string[];
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** A mandatory field of the given kind. */
export function mandatory<K extends FieldKind>(kind: K, constraint: Pick<FieldSpec, 'pattern' | 'values'> = {}): FieldSpec<K, true> {
  return { kind, mandatory: true, ...constraint };
}

/** An optional field of the given kind. */
export function optional<K extends FieldKind>(kind: K, constraint: Pick<FieldSpec, 'pattern' | 'values'> = {}): FieldSpec<K, false> {
  return { kind, mandatory: false, ...constraint };
}

type MandatoryKeys<F extends FieldSpecs> = { [K in keyof F]: F[K]['mandatory'] extends true ? K : never }[keyof F];
type OptionalKeys<F extends FieldSpecs> = Exclude<keyof F, MandatoryKeys<F>>;

/** The typed body described by a field list: mandatory fields required, optional ones optional. */
export type BodyOf<F extends FieldSpecs> = { [K in MandatoryKeys<F>]: FieldKinds[F[K]['kind']] } & {
  [K in OptionalKeys<F>]?: FieldKinds[F[K]['kind']];
};

/** EID as a JSON string: 32 decimal digits (SGP.29 / SGP.22 §2.2). */
export const eidPattern = /^[0-9]{32}$/;
