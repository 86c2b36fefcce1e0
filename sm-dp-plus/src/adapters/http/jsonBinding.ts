// The JSON side of the HTTP adapter (SGP.22 v2.2.2 §6.5): request objects in, function results out.
// Only this adapter turns an RspError into a `functionExecutionStatus` header (§6.5.1.4).
import { Codes, InvalidField, RspError } from '@zkesim/protocol';

export const adminProtocol = 'gsma/rsp/v2.2.0';
export const jsonContentType = 'application/json;charset=UTF-8';

export type JsonObject = { [key: string]: unknown };

export function parseJsonObject(body: Uint8Array): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new InvalidField('body', 'not valid JSON', undefined, error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidField('body', 'must be a JSON object');
  return value as JsonObject;
}

export function optionalString(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidField(field, 'must be a string');
  return value;
}

export function requiredString(object: JsonObject, field: string): string {
  const value = optionalString(object, field);
  if (value === undefined) throw new RspError(Codes.missingRequestField, `${field}: mandatory field missing`, { subjectIdentifier: field });
  return value;
}

export function optionalBoolean(object: JsonObject, field: string): boolean | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new InvalidField(field, 'must be true or false');
  return value;
}

export function optionalObject(object: JsonObject, field: string): JsonObject | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidField(field, 'must be an object');
  return value as JsonObject;
}

/** Standard base64 (RFC 4648 §4) with whitespace tolerated (RSP-FACTS §4.1); anything else is refused. */
export function base64Field(object: JsonObject, field: string): Uint8Array {
  const text = requiredString(object, field).replace(/\s+/g, '');
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new InvalidField(field, 'must be standard base64 with padding');
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** `{ header: { functionExecutionStatus: { status: 'Executed-Success' } }, ...output }`. */
export function successBody(output: JsonObject = {}): string {
  return JSON.stringify({ header: { functionExecutionStatus: { status: 'Executed-Success' } }, ...output });
}

/** The Failed header for an RspError, with subjectIdentifier and message when present. */
export function failureBody(error: RspError): string {
  return JSON.stringify({
    header: {
      functionExecutionStatus: {
        status: 'Failed',
        statusCodeData: {
          subjectCode: error.subjectCode,
          reasonCode: error.reasonCode,
          ...(error.subjectIdentifier === undefined ? {} : { subjectIdentifier: error.subjectIdentifier }),
          message: error.message,
        },
      },
    },
  });
}
