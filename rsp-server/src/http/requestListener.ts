// The one request listener behind every port of an RSP server (SM-DP+ or SM-DS): limits (body cap → 413,
// per-address concurrency → 429), routing, the client-certificate gate of the mutually authenticated
// interfaces (ES2+, ES12: SGP.22 §2.6.6), and the mapping of errors to HTTP. Function logic lives in the
// routes; this file only moves bytes and statuses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { Codes, RspError, type Logger } from '@zkesim/protocol';
import { BodyTooLarge, readBody } from './body.js';
import { ConcurrencyLimit } from './concurrencyLimit.js';
import { adminProtocolHeader, adminProtocolVersion, jsonContentType } from '@zkesim/protocol';
import { failureBody } from './jsonBinding.js';
import type { ServerMetrics } from './metrics.js';
import type { HttpRoute, RouteInput, RouteResult } from './route.js';
import { sourceKey } from './sourceKey.js';

export type { HttpRoute, RouteInput, RouteResult };

export interface ListenerOptions<Client = unknown> {
  routes: ReadonlyMap<string, HttpRoute<Client>>;
  maxBodyBytes: number;
  concurrency: ConcurrencyLimit;
  metrics: ServerMetrics;
  logger: Logger;
  /** Maps the TLS peer certificate to a known client, or undefined (no certificate, unknown CA, bad pin). */
  identifyClient?: (socket: TLSSocket) => Client | undefined;
  /** Extra GET endpoints (/healthz, /metrics). */
  getEndpoints?: ReadonlyMap<string, () => Promise<RouteResult>>;
}

export function createRequestListener<Client>(options: ListenerOptions<Client>) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    // Per source key (an IPv6 client's whole /64), as the connection caps and the unauthenticated sessions count.
    const source = sourceKey(request.socket.remoteAddress);
    const release = options.concurrency.acquire(source);
    if (release === undefined) {
      options.metrics.httpRejections.inc({ reason: 'concurrency' });
      request.resume();
      send(response, { status: 429, body: 'too many requests in flight from this address\n', contentType: 'text/plain' });
      return;
    }
    response.on('close', release);
    handleRequest(options, request, response, source).catch((error: unknown) => {
      if (isClientAbort(error, request)) {
        // The client went away mid-request (closed tab, lost network, timeout on its side): nothing to answer.
        options.logger.info({ path: request.url, reason: (error as Error).message }, 'client closed the connection before the request was complete');
        response.destroy();
        return;
      }
      options.logger.error({ err: error }, 'request handling failed');
      if (!response.headersSent) send(response, { status: 500, body: 'internal error\n', contentType: 'text/plain' });
      else response.destroy();
    });
  };
}

/** The request's stream failed because its client closed the connection, not because of the server. */
function isClientAbort(error: unknown, request: IncomingMessage): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (request.destroyed && !request.complete);
}

async function handleRequest<Client>(options: ListenerOptions<Client>, request: IncomingMessage, response: ServerResponse, source: string): Promise<void> {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const endpoint = options.getEndpoints?.get(path);
  const route = options.routes.get(path);
  if (endpoint !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
    request.resume();
    send(response, await endpoint());
    return;
  }
  if (route === undefined || request.method !== 'POST') {
    request.resume();
    if (route === undefined && endpoint === undefined) {
      send(response, { status: 404, body: 'not found\n', contentType: 'text/plain' });
      return;
    }
    // RFC 9110 §15.5.6: a 405 lists the methods the resource supports. SGP.22 functions are POST only (§6.1).
    response.setHeader('Allow', route === undefined ? 'GET, HEAD' : 'POST');
    send(response, { status: 405, body: 'method not allowed\n', contentType: 'text/plain' });
    return;
  }
  let client: Client | undefined;
  if (route.requiresClient) {
    client = options.identifyClient?.(request.socket as TLSSocket);
    if (client === undefined) {
      // SGP.22 §2.6.6: ES2+ and ES12 are mutually authenticated. Without an accepted client certificate no function runs.
      options.metrics.httpRejections.inc({ reason: 'client-certificate' });
      request.resume();
      const error = new RspError(Codes.unknownFunctionRequester, 'a client certificate of a configured operator is required');
      send(response, { status: 403, body: failureBody(error) });
      return;
    }
  }
  let body: Uint8Array;
  try {
    body = await readBody(request, options.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    options.metrics.httpRejections.inc({ reason: 'body-too-large' });
    send(response, { status: 413, body: `${error.message}\n`, contentType: 'text/plain' }, true);
    return;
  }
  const started = performance.now();
  const adminProtocol = request.headers[adminProtocolHeaderKey];
  const input: RouteInput<Client> = {
    body,
    contentType: request.headers['content-type'],
    adminProtocol: Array.isArray(adminProtocol) ? adminProtocol[0] : adminProtocol,
    source,
  };
  if (client !== undefined) input.client = client;
  // The route's answer or, when it throws, the answer to its error: awaited here, without an async function
  // (and its promise) of its own between the listener and the route.
  let result: RouteResult;
  let outcome: Outcome;
  try {
    result = await route.handle(input);
    outcome = 'Executed-Success';
  } catch (error) {
    outcome = error instanceof RspError ? 'Failed' : 'Error';
    result = failedRoute(options, route, error);
  }
  const durationMs = performance.now() - started;
  options.metrics.functionSeconds.observe(functionLabels(route, outcome), durationMs / 1000);
  options.logger.info(
    { interface: route.interface, function: route.function, status: outcome, httpStatus: result.status, durationMs: Math.round(durationMs * 10) / 10 },
    'function executed',
  );
  send(response, result);
}

/** Node's name of the X-Admin-Protocol header in `request.headers` (lower case). */
const adminProtocolHeaderKey = adminProtocolHeader.toLowerCase();

/** The outcomes of a function, the `status` label of its latency (§6.5.1.4's execution status, or Error for a crash). */
type Outcome = 'Executed-Success' | 'Failed' | 'Error';

/**
 * The label set of a route's latency per outcome, made once per route (prom-client hashes the labels on every
 * observation; the object need not be built for every request as well).
 */
const labelsOfRoutes = new WeakMap<HttpRoute<never>, Record<Outcome, { interface: string; function: string; status: Outcome }>>();

function functionLabels<Client>(route: HttpRoute<Client>, outcome: Outcome): { interface: string; function: string; status: Outcome } {
  const key = route as HttpRoute<never>;
  let labels = labelsOfRoutes.get(key);
  if (labels === undefined) {
    const of = (status: Outcome) => ({ interface: route.interface, function: route.function, status });
    labels = { 'Executed-Success': of('Executed-Success'), Failed: of('Failed'), Error: of('Error') };
    labelsOfRoutes.set(key, labels);
  }
  return labels[outcome];
}

/** The answer to an error of `route.handle`: the route's own binding, or the JSON binding's (§6.5.1.4). */
function failedRoute<Client>(options: ListenerOptions<Client>, route: HttpRoute<Client>, error: unknown): RouteResult {
  if (error instanceof RspError) {
    options.logger.info(
      { interface: route.interface, function: route.function, subjectCode: error.subjectCode, reasonCode: error.reasonCode, reason: error.message },
      'function failed',
    );
    return route.failure?.(error) ?? { status: 200, body: failureBody(error) };
  }
  options.logger.error({ interface: route.interface, function: route.function, err: error }, 'function crashed');
  const internal = new RspError(Codes.functionExecutionError, 'internal error');
  return route.failure?.(error) ?? { status: 500, body: failureBody(internal) };
}

/**
 * Writes the whole response at once: the status and every header in one writeHead (the raw name/value list,
 * which node writes without building a header object), the body as one Buffer with its Content-Length.
 * Headers set before (a 405's Allow) are kept: node merges them with the list. Exported for the SM-DP+ load
 * bench's HTTPS floor server, which answers with the very headers the routes' answers carry.
 */
export function send(response: ServerResponse, result: RouteResult, closeConnection = false): void {
  const headers = [adminProtocolHeader, adminProtocolVersion];
  if (closeConnection) headers.push('Connection', 'close');
  if (result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  const body =
    typeof result.body === 'string'
      ? Buffer.from(result.body, 'utf8')
      : Buffer.isBuffer(result.body)
        ? result.body
        : Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength);
  headers.push('Content-Type', result.contentType ?? jsonContentType, 'Content-Length', String(body.length));
  response.writeHead(result.status, headers).end(body);
}
