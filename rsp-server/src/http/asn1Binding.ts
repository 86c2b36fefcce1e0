// The ASN.1 side of the HTTP adapter (SGP.22 v2.2.2 §6.6): one path carrying a DER
// RemoteProfileProvisioningRequest and answering a RemoteProfileProvisioningResponse, where a function's
// error is the INTEGER alternative of its response. The CHOICE carries the ES9+ functions and the ES11 ones
// (initiateAuthentication and authenticateClient, answered with authenticateClientResponseEs11), so an
// SM-DP+ and an SM-DS serve it alike: each supplies one handler per request alternative it serves and, per
// function, the table from its status codes to the numbers of the function's error INTEGER.
import { Codes, RemoteProfileProvisioningRequest, RemoteProfileProvisioningResponse, RspError, type StatusCode } from '@zkesim/protocol';
import { derDecodeLimits } from './body.js';
import type { HttpRoute, RouteInput, RouteResult } from './route.js';

/** SPEC-AMBIGUITY: this content type of the ASN.1 binding is unconfirmed; we send it and accept any request type. */
export const asn1ContentType = 'application/x-gsma-rsp-asn1';

/**
 * One function's error INTEGER (RSPDefinitions): the number each status code maps to, the number for any
 * other failure, and the response alternative that carries the number.
 */
export interface Asn1ErrorTable {
  readonly numbers: ReadonlyArray<readonly [StatusCode, number]>;
  readonly otherwise: number;
  readonly response: (errorNumber: number) => RemoteProfileProvisioningResponse;
}

type AlternativeName<Choice> = Choice extends unknown ? keyof Choice & string : never;
type AlternativeOf<Choice, Name extends string> = Choice extends Record<Name, infer Value> ? Value : never;

/** The alternatives of RemoteProfileProvisioningRequest: `initiateAuthenticationRequest`, …, `handleNotification`. */
export type ProvisioningRequestName = AlternativeName<RemoteProfileProvisioningRequest>;

/** What a server does with one request alternative. */
export type ProvisioningHandler<Request, Client = unknown> = (request: Request, input: RouteInput<Client>) => Promise<RouteResult>;

/** The request alternatives a server serves; a request for any other one is refused as an invalid request. */
export type ProvisioningHandlers<Client = unknown> = {
  readonly [Name in ProvisioningRequestName]?: ProvisioningHandler<AlternativeOf<RemoteProfileProvisioningRequest, Name>, Client>;
};

/**
 * A function's error table written as the module writes its error INTEGER: for each named number (`named` is
 * the generated constant of that INTEGER's named numbers) the status codes answered with it; every other
 * failure gets `otherwise` (a name, or a number when the INTEGER names none for it).
 */
export function asn1ErrorTable<Named extends Readonly<Record<string, number>>>(
  named: Named,
  response: (errorNumber: number) => RemoteProfileProvisioningResponse,
  codes: { readonly [Name in keyof Named]?: readonly StatusCode[] },
  otherwise: (keyof Named & string) | number,
): Asn1ErrorTable {
  return {
    numbers: Object.entries(codes).flatMap(([name, statusCodes]) => (statusCodes ?? []).map((code) => [code, named[name] as number] as const)),
    otherwise: typeof otherwise === 'number' ? otherwise : (named[otherwise] as number),
    response,
  };
}

/** The number of `table` for a failure; anything but an RspError is a crash, not a function error, and is rethrown. */
export function asn1ErrorNumber(table: Asn1ErrorTable, error: unknown): number {
  if (!(error instanceof RspError)) throw error;
  return table.numbers.find(([code]) => error.is(code))?.[1] ?? table.otherwise;
}

/** A DER RemoteProfileProvisioningResponse as the route's answer. */
export function derResult(response: RemoteProfileProvisioningResponse): RouteResult {
  return { status: 200, body: RemoteProfileProvisioningResponse.encode(response), contentType: asn1ContentType };
}

/** The request CHOICE, within the decoding limits; anything undecodable is an invalid request (1.6 / 2.1). */
export function decodeProvisioningRequest(body: Uint8Array): RemoteProfileProvisioningRequest {
  try {
    return RemoteProfileProvisioningRequest.decode(body, derDecodeLimits);
  } catch (error) {
    throw new RspError(Codes.invalidRequestField, `not a RemoteProfileProvisioningRequest: ${error instanceof Error ? error.message : String(error)}`, {
      subjectIdentifier: 'body',
      cause: error,
    });
  }
}

/**
 * A handler for a function that answers: `run` gives the response's ok alternative; a failure becomes the
 * error alternative with the number `errors` gives it.
 */
export function answering<Request, Client = unknown>(
  errors: Asn1ErrorTable,
  run: (request: Request, input: RouteInput<Client>) => Promise<RemoteProfileProvisioningResponse>,
): ProvisioningHandler<Request, Client> {
  return async (request, input) => {
    try {
      return derResult(await run(request, input));
    } catch (error) {
      return derResult(errors.response(asn1ErrorNumber(errors, error)));
    }
  };
}

/**
 * What a failure that no error INTEGER carries is answered with, in this binding's content type: a request that
 * does not decode, an alternative not served here, a failed handleNotification (which has no response) → 400;
 * a crash → 500. SPEC-AMBIGUITY: §6.6 defines no error response outside the functions' own CHOICEs, so the
 * body is empty and the HTTP status alone says what went wrong; a JSON body would be in a binding the
 * client did not use.
 */
export function asn1Failure(error: unknown): RouteResult {
  return { status: error instanceof RspError ? 400 : 500, body: new Uint8Array(0), contentType: asn1ContentType };
}

/** The route at `/gsma/rsp2/asn1`: decodes the request and runs the handler of its alternative. */
export function asn1BindingRoute<Client = unknown>(handlers: ProvisioningHandlers<Client>): HttpRoute<Client> {
  return {
    interface: 'asn1',
    function: 'remoteProfileProvisioning',
    requiresClient: false,
    handle: async (input) => {
      const request = decodeProvisioningRequest(input.body);
      // A decoded CHOICE has exactly one field: the alternative received.
      const [name] = Object.keys(request) as ProvisioningRequestName[];
      const handler = name === undefined ? undefined : (handlers[name] as ProvisioningHandler<unknown, Client> | undefined);
      if (name === undefined || handler === undefined) {
        // SPEC-AMBIGUITY: §6.6 names no answer for a function this server does not provide (getBoundProfilePackage
        // asked of an SM-DS); it is refused as a request this server cannot decode would be.
        throw new RspError(Codes.invalidRequestField, `${name ?? 'the request'} is not served here`, { subjectIdentifier: 'body' });
      }
      return handler((request as Record<string, unknown>)[name], input);
    },
    failure: asn1Failure,
  };
}
