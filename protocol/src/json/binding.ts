// parseRequest / renderResponse (server side) and renderRequest / parseResponse (client side) of the
// SGP.22 JSON binding (SGP.22 v2.2.2 §6.5; header §6.5.1.3, §6.5.1.4). The ASN.1 inside base64 fields is not
// decoded here: handlers decode it with the generated codecs.
import { Codes, InvalidField, MissingField, RemoteFunctionFailed, type RspError } from '../errors/index.js';
import { failureHeader, successHeader, type ExecutionStatus, type RequestHeader, type ResponseHeader } from './header.js';
import type { BodyOf, FieldKind, FieldSpec, FieldSpecs } from './fields.js';
import type { RspFunction } from './functions/rspFunction.js';
import {
  isJsonObject,
  parseExecutionStatus,
  parseFieldValue,
  renderFieldValue,
  type FieldErrorCodes,
  type JsonObject,
} from './values.js';

/** The typed request of a function: its body fields, plus `header` for ES2+ and ES12. */
export type RequestOf<F> =
  F extends RspFunction<infer Req, FieldSpecs, infer Header>
    ? BodyOf<Req> & (Header extends true ? { header: RequestHeader } : unknown)
    : never;

/** The typed response body of a function (without the header). */
export type ResponseOf<F> = F extends RspFunction<FieldSpecs, infer Res, boolean> ? BodyOf<Res> : never;

/** A rendered HTTP response: 200 with a JSON body, or 204 with none (HandleNotification success). */
export type RenderedResponse = { status: 200; body: JsonObject } | { status: 204 };

const requestCodes: FieldErrorCodes = { invalid: Codes.invalidRequestField, missing: Codes.missingRequestField };
const responseCodes: FieldErrorCodes = { invalid: Codes.invalidResponseField, missing: Codes.missingResponseField };

/** Each field list's entries, listed once (the lists are module constants; Object.entries made an array per call). */
const fieldEntries = new WeakMap<FieldSpecs, readonly (readonly [string, FieldSpec])[]>();

function entriesOf(specs: FieldSpecs): readonly (readonly [string, FieldSpec])[] {
  let entries = fieldEntries.get(specs);
  if (entries === undefined) {
    entries = Object.entries(specs);
    fieldEntries.set(specs, entries);
  }
  return entries;
}

function parseFields(specs: FieldSpecs, json: Record<string, unknown>, codes: FieldErrorCodes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of entriesOf(specs)) {
    const value = json[field];
    // A JSON null is read as an absent field; unknown fields are ignored (later versions add fields).
    if (value === undefined || value === null) {
      if (spec.mandatory) throw new MissingField(field, codes.missing);
      continue;
    }
    out[field] = parseFieldValue(spec, value, field, codes);
  }
  return out;
}

function renderFields(specs: FieldSpecs, body: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [field, spec] of Object.entries(specs)) {
    const value = body[field];
    if (value === undefined) {
      if (spec.mandatory) throw new MissingField(field, Codes.functionExecutionError);
      continue;
    }
    out[field] = renderFieldValue(spec.kind, value as never);
  }
  return out;
}

function parseRequestHeader(json: Record<string, unknown>): RequestHeader {
  const header = json.header;
  if (header === undefined || header === null) throw new MissingField('header', requestCodes.missing);
  if (!isJsonObject(header)) throw new InvalidField('header', 'expected an object', requestCodes.invalid);
  return { functionRequesterIdentifier: headerString(header, 'functionRequesterIdentifier'), functionCallIdentifier: headerString(header, 'functionCallIdentifier') };
}

function headerString(header: Record<string, unknown>, name: keyof RequestHeader): string {
  const value = header[name];
  if (value === undefined || value === null) throw new MissingField(`header.${name}`, requestCodes.missing);
  if (typeof value !== 'string') throw new InvalidField(`header.${name}`, 'expected a string', requestCodes.invalid);
  return value;
}

/** Server side: validates a request body and returns it typed (bytes as Uint8Array). Throws RspError. */
export function parseRequest<F extends RspFunction>(fn: F, json: unknown): RequestOf<F> {
  if (!isJsonObject(json)) throw new InvalidField('body', 'expected a JSON object', requestCodes.invalid);
  const body = parseFields(fn.request, json, requestCodes);
  if (fn.requestHeader) body.header = parseRequestHeader(json);
  return body as RequestOf<F>;
}

/** Server side: the success response (header `Executed-Success` plus the output fields, or 204). */
export function renderResponse<F extends RspFunction>(fn: F, response: ResponseOf<F>): RenderedResponse {
  if (fn.responseBody === 'none') return { status: 204 };
  const body = renderFields(fn.response, response as Record<string, unknown>);
  return { status: 200, body: { header: renderHeader(successHeader()), ...body } };
}

/** Kinds whose rendered text needs no JSON escaping: base64 (RFC 4648 §4 alphabet) and upper-case hex. */
const plainTextKinds: ReadonlySet<FieldKind> = new Set<FieldKind>(['base64', 'transactionId']);

/** One response field as renderResponseBytes writes it: its name as JSON text with the `,` before it. */
interface RenderedField {
  readonly field: string;
  readonly spec: FieldSpec;
  /** `,"name":`, and the value's opening `"` for a plain kind. */
  readonly key: string;
  readonly plain: boolean;
}

/** The fields of each response list, worked out at its first response (the lists are module constants). */
const renderedFields = new WeakMap<FieldSpecs, readonly RenderedField[]>();

function renderedFieldsOf(specs: FieldSpecs): readonly RenderedField[] {
  let fields = renderedFields.get(specs);
  if (fields === undefined) {
    fields = Object.entries(specs).map(([field, spec]) => {
      const plain = plainTextKinds.has(spec.kind);
      return { field, spec, key: `,${JSON.stringify(field)}:${plain ? '"' : ''}`, plain };
    });
    renderedFields.set(specs, fields);
  }
  return fields;
}

/** `{"header":{"functionExecutionStatus":{"status":"Executed-Success"}}`, the start of every success body. */
let successStart: string | undefined;

/**
 * Server side: renderResponse as the UTF-8 bytes of its JSON text, byte for byte `JSON.stringify(renderResponse(fn,
 * response).body)`, written without JSON.stringify scanning every character of the base64 and hex values for
 * characters to escape (their alphabets hold none; a Bound Profile Package's base64 is most of a download's
 * output) and without joining the pieces into one string first: each is written once into the body, as Latin-1
 * (a copy) when it is ASCII, as UTF-8 otherwise.
 */
export function renderResponseBytes<F extends RspFunction>(fn: F, response: ResponseOf<F>): { status: 200; body: Uint8Array } | { status: 204 } {
  if (fn.responseBody === 'none') return { status: 204 };
  const body = response as Record<string, unknown>;
  successStart ??= `{"header":${JSON.stringify(renderHeader(successHeader()))}`;
  // pieces[i] is ASCII unless utf8[i]: then its UTF-8 length is counted and it is written as UTF-8.
  const pieces: string[] = [successStart];
  const utf8: boolean[] = [false];
  let size = successStart.length;
  for (const { field, spec, key, plain } of renderedFieldsOf(fn.response)) {
    const value = body[field];
    if (value === undefined) {
      if (spec.mandatory) throw new MissingField(field, Codes.functionExecutionError);
      continue;
    }
    const rendered = renderFieldValue(spec.kind, value as never);
    pieces.push(key);
    utf8.push(false);
    size += key.length;
    if (plain) {
      const text = rendered as string;
      pieces.push(text, '"');
      utf8.push(false, false);
      size += text.length + 1;
    } else {
      const text = JSON.stringify(rendered);
      const bytes = Buffer.byteLength(text, 'utf8');
      pieces.push(text);
      utf8.push(bytes !== text.length);
      size += bytes;
    }
  }
  const out = Buffer.allocUnsafe(size + 1);
  let offset = 0;
  for (let i = 0; i < pieces.length; i += 1) offset += out.write(pieces[i] as string, offset, utf8[i] === true ? 'utf8' : 'latin1');
  out[offset] = 0x7d; // }
  return { status: 200, body: out };
}

/** Server side: the response reporting a failure; function failures are HTTP 200 (§6.5). */
export function renderFailure(error: RspError, status: Exclude<ExecutionStatus, 'Executed-Success'> = 'Failed'): RenderedResponse {
  return { status: 200, body: { header: renderHeader(failureHeader(error, status)) } };
}

function renderHeader(header: ResponseHeader): JsonObject {
  return { functionExecutionStatus: renderFieldValue('executionStatus', header.functionExecutionStatus) };
}

/** Client side: the JSON body of a request (with `header` for ES2+ / ES12). */
export function renderRequest<F extends RspFunction>(fn: F, request: RequestOf<F>): JsonObject {
  const typed = request as Record<string, unknown>;
  const body = renderFields(fn.request, typed);
  if (!fn.requestHeader) return body;
  const header = typed.header as RequestHeader;
  return {
    header: { functionRequesterIdentifier: header.functionRequesterIdentifier, functionCallIdentifier: header.functionCallIdentifier },
    ...body,
  };
}

/**
 * Client side: checks `header.functionExecutionStatus` and returns the typed output fields with the
 * header. A `Failed` or `Expired` status throws RemoteFunctionFailed carrying the peer's statusCodeData.
 * For a function answered with 204 and no body, pass `undefined`.
 */
export function parseResponse<F extends RspFunction>(fn: F, json: unknown): ResponseOf<F> & { header: ResponseHeader } {
  if (fn.responseBody === 'none' && (json === undefined || json === null || json === '')) {
    return { header: successHeader() } as ResponseOf<F> & { header: ResponseHeader };
  }
  if (!isJsonObject(json)) throw new InvalidField('body', 'expected a JSON object', responseCodes.invalid);
  if (!isJsonObject(json.header)) throw new MissingField('header', responseCodes.missing);
  const functionExecutionStatus = parseExecutionStatus(
    json.header.functionExecutionStatus,
    'header.functionExecutionStatus',
    responseCodes,
  );
  const { status, statusCodeData } = functionExecutionStatus;
  if (status === 'Failed' || status === 'Expired') {
    const code = statusCodeData ?? Codes.functionExecutionError;
    throw new RemoteFunctionFailed(status, code, statusCodeData?.message, { subjectIdentifier: statusCodeData?.subjectIdentifier });
  }
  const body = parseFields(fn.response, json, responseCodes);
  return { header: { functionExecutionStatus }, ...body } as ResponseOf<F> & { header: ResponseHeader };
}
