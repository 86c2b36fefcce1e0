// The JSON side of the HTTP adapter (SGP.22 v2.2.2 §6.5). Field lists, base64/hex handling and the
// functionExecutionStatus header come from @zkesim/protocol's JSON binding; this file only connects it to
// the routes. Only this adapter turns an RspError into a `functionExecutionStatus` header (§6.5.1.4).
import {
  InvalidField, assertAdminProtocol, assertJsonContentType, parseRequest, renderFailure, renderResponseBytes, type RenderedResponse, type RequestOf, type ResponseOf, type RspError,
  type RspFunction, type Codec, type DecodeOptions,
} from '@zkesim/protocol';
import { derDecodeLimits } from './body.js';
import type { HttpRoute, RouteInput, RouteResult } from './route.js';

/** JSON text → value; a body that is not JSON is an invalid request (1.6 / 2.1). */
export function parseJsonBody(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new InvalidField('body', 'not valid JSON', undefined, error);
  }
}

export function routeResult(rendered: RenderedResponse): RouteResult {
  return rendered.status === 204 ? { status: 204 } : { status: 200, body: JSON.stringify(rendered.body) };
}

/** The Failed header for an RspError, as JSON text. */
export function failureBody(error: RspError): string {
  const rendered = renderFailure(error);
  return JSON.stringify('body' in rendered ? rendered.body : {});
}

/** derDecodeLimits, the field's bytes handed over: they were just decoded from the request's base64 and nothing else holds them. */
const fieldDecodeOptions: DecodeOptions = { ...derDecodeLimits, handOver: true };

/**
 * Decodes the DER inside a base64 field; any decoding problem is reported against the field (1.6 / 2.1).
 * The bytes are handed over to the decoded value (no copy): pass only a field just read from the request.
 */
export function decodeField<T>(field: string, bytes: Uint8Array, codec: Codec<T>): T {
  try {
    return codec.decode(bytes, fieldDecodeOptions);
  } catch (error) {
    throw new InvalidField(field, `not a valid ${field}: ${error instanceof Error ? error.message : String(error)}`, undefined, error);
  }
}

/**
 * §6.5.1.3 request headers: Content-Type must be JSON (1.2.1 / 2.1) and X-Admin-Protocol a
 * `gsma/rsp/v2.*` version (1.2.2 / 2.1). SPEC-AMBIGUITY: a request without X-Admin-Protocol is accepted,
 * since some LPAs omit it and nothing in the exchange depends on it.
 */
function checkHeaders(input: RouteInput): void {
  assertJsonContentType(input.contentType);
  if (input.adminProtocol !== undefined) assertAdminProtocol(input.adminProtocol);
}

/** A route for one JSON function: parse the body by the function's field list, run, render. */
export function jsonRoute<F extends RspFunction, Client = unknown>(
  fn: F,
  requiresClient: boolean,
  handler: (request: RequestOf<F>, input: RouteInput<Client>) => Promise<ResponseOf<F>>,
): HttpRoute<Client> {
  return {
    interface: fn.interface,
    function: fn.name,
    requiresClient,
    handle: async (input) => {
      checkHeaders(input);
      return renderResponseBytes(fn, await handler(parseRequest(fn, parseJsonBody(input.body)), input));
    },
  };
}
