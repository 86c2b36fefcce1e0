// Parsing and rendering of one field value by kind (SGP.22 v2.2.2 §6.5).
import { InvalidField, MissingField, type StatusCode } from '../errors/index.js';
import { decodeBase64, decodeTransactionId, encodeBase64, encodeTransactionId } from './codecs.js';
import { executionStatuses, type FunctionExecutionStatus, type StatusCodeData } from './header.js';
import type { EventEntry, FieldKind, FieldKinds, FieldSpec } from './fields.js';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object body (the same JSON value shape as the asn1 module's `JsonValue`). */
export type JsonObject = { [key: string]: JsonValue };

/** The codes to report a bad field with: request fields (we are the server) or response fields (client). */
export interface FieldErrorCodes {
  invalid: StatusCode;
  missing: StatusCode;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown, field: string, codes: FieldErrorCodes): string {
  if (typeof value !== 'string') throw new InvalidField(field, 'expected a string', codes.invalid);
  return value;
}

function parseStatusCodeData(value: unknown, field: string, codes: FieldErrorCodes): StatusCodeData {
  if (!isJsonObject(value)) throw new InvalidField(field, 'expected an object', codes.invalid);
  const data: StatusCodeData = {
    subjectCode: stringOf(value.subjectCode, `${field}.subjectCode`, codes),
    reasonCode: stringOf(value.reasonCode, `${field}.reasonCode`, codes),
  };
  if (value.subjectIdentifier != null) data.subjectIdentifier = stringOf(value.subjectIdentifier, `${field}.subjectIdentifier`, codes);
  if (value.message != null) data.message = stringOf(value.message, `${field}.message`, codes);
  return data;
}

/** Parses `{ status, statusCodeData? }` (functionExecutionStatus, notificationPointStatus). */
export function parseExecutionStatus(value: unknown, field: string, codes: FieldErrorCodes): FunctionExecutionStatus {
  if (!isJsonObject(value)) throw new InvalidField(field, 'expected an object', codes.invalid);
  if (value.status == null) throw new MissingField(`${field}.status`, codes.missing);
  const status = executionStatuses.find((candidate) => candidate === value.status);
  if (status === undefined) throw new InvalidField(`${field}.status`, `unknown status ${JSON.stringify(value.status)}`, codes.invalid);
  const result: FunctionExecutionStatus = { status };
  if (value.statusCodeData != null) result.statusCodeData = parseStatusCodeData(value.statusCodeData, `${field}.statusCodeData`, codes);
  return result;
}

function parseEventEntries(value: unknown, field: string, codes: FieldErrorCodes): EventEntry[] {
  if (!Array.isArray(value)) throw new InvalidField(field, 'expected an array', codes.invalid);
  return value.map((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isJsonObject(entry)) throw new InvalidField(at, 'expected an object', codes.invalid);
    return {
      eventId: stringOf(entry.eventId, `${at}.eventId`, codes),
      rspServerAddress: stringOf(entry.rspServerAddress, `${at}.rspServerAddress`, codes),
    };
  });
}

function parseString(value: unknown, spec: FieldSpec, field: string, codes: FieldErrorCodes): string {
  const text = stringOf(value, field, codes);
  if (spec.pattern !== undefined && !spec.pattern.test(text)) throw new InvalidField(field, 'has the wrong format', codes.invalid);
  if (spec.values !== undefined && !spec.values.includes(text)) {
    throw new InvalidField(field, `expected one of ${spec.values.join(', ')}`, codes.invalid);
  }
  return text;
}

/**
 * Parses one present field value by its kind; errors name the field. A switch, not a table of closures made
 * per call: the server parses every field of every request through here.
 */
export function parseFieldValue<K extends FieldKind>(spec: FieldSpec<K>, value: unknown, field: string, codes: FieldErrorCodes): FieldKinds[K] {
  const kind: FieldKind = spec.kind;
  switch (kind) {
    case 'base64':
      return decodeBase64(stringOf(value, field, codes), field, codes.invalid) as FieldKinds[K];
    case 'transactionId':
      return decodeTransactionId(stringOf(value, field, codes), field, codes.invalid) as FieldKinds[K];
    case 'string':
      return parseString(value, spec, field, codes) as FieldKinds[K];
    case 'boolean':
      if (typeof value !== 'boolean') throw new InvalidField(field, 'expected true or false', codes.invalid);
      return value as FieldKinds[K];
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidField(field, 'expected a number', codes.invalid);
      return value as FieldKinds[K];
    case 'eventEntries':
      return parseEventEntries(value, field, codes) as FieldKinds[K];
    case 'executionStatus':
      return parseExecutionStatus(value, field, codes) as FieldKinds[K];
  }
}

function renderExecutionStatus(status: FunctionExecutionStatus): JsonObject {
  const out: JsonObject = { status: status.status };
  if (status.statusCodeData !== undefined) {
    const data = status.statusCodeData;
    const statusCodeData: JsonObject = { subjectCode: data.subjectCode, reasonCode: data.reasonCode };
    if (data.subjectIdentifier !== undefined) statusCodeData.subjectIdentifier = data.subjectIdentifier;
    if (data.message !== undefined) statusCodeData.message = data.message;
    out.statusCodeData = statusCodeData;
  }
  return out;
}

const renderers: { [Kind in FieldKind]: (input: FieldKinds[Kind]) => JsonValue } = {
  base64: encodeBase64,
  transactionId: encodeTransactionId,
  string: (input) => input,
  boolean: (input) => input,
  number: (input) => input,
  eventEntries: (input) => input.map((entry) => ({ eventId: entry.eventId, rspServerAddress: entry.rspServerAddress })),
  executionStatus: renderExecutionStatus,
};

/** Renders one field value by its kind. */
export function renderFieldValue<K extends FieldKind>(kind: K, value: FieldKinds[K]): JsonValue {
  return (renderers[kind] as (input: FieldKinds[K]) => JsonValue)(value);
}
