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
    const release = options.concurrency.acquire(sourceKey(request.socket.remoteAddress));
    if (release === undefined) {
      options.metrics.httpRejections.inc({ reason: 'concurrency' });
      request.resume();
      send(response, { status: 429, body: 'too many requests in flight from this address\n', contentType: 'text/plain' });
      return;
    }
    response.on('close', release);
    handleRequest(options, request, response).catch((error: unknown) => {
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

async function handleRequest<Client>(options: ListenerOptions<Client>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
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
  const adminProtocol = request.headers[adminProtocolHeader.toLowerCase()];
  const result = await runRoute(options, route, {
    body,
    contentType: request.headers['content-type'],
    adminProtocol: Array.isArray(adminProtocol) ? adminProtocol[0] : adminProtocol,
    ...(client === undefined ? {} : { client }),
    source: sourceKey(request.socket.remoteAddress),
  });
  const durationMs = performance.now() - started;
  options.metrics.functionSeconds.observe({ interface: route.interface, function: route.function, status: result.outcome }, durationMs / 1000);
  options.logger.info(
    { interface: route.interface, function: route.function, status: result.outcome, httpStatus: result.result.status, durationMs: Math.round(durationMs * 10) / 10 },
    'function executed',
  );
  send(response, result.result);
}

async function runRoute<Client>(
  options: ListenerOptions<Client>,
  route: HttpRoute<Client>,
  input: RouteInput<Client>,
): Promise<{ result: RouteResult; outcome: string }> {
  try {
    return { result: await route.handle(input), outcome: 'Executed-Success' };
  } catch (error) {
    if (error instanceof RspError) {
      options.logger.info(
        { interface: route.interface, function: route.function, subjectCode: error.subjectCode, reasonCode: error.reasonCode, reason: error.message },
        'function failed',
      );
      return { result: route.failure?.(error) ?? { status: 200, body: failureBody(error) }, outcome: 'Failed' };
    }
    options.logger.error({ interface: route.interface, function: route.function, err: error }, 'function crashed');
    const internal = new RspError(Codes.functionExecutionError, 'internal error');
    return { result: route.failure?.(error) ?? { status: 500, body: failureBody(internal) }, outcome: 'Error' };
  }
}

function send(response: ServerResponse, result: RouteResult, closeConnection = false): void {
  response.statusCode = result.status;
  response.setHeader(adminProtocolHeader, adminProtocolVersion);
  if (closeConnection) response.setHeader('Connection', 'close');
  if (result.body === undefined) {
    response.end();
    return;
  }
  response.setHeader('Content-Type', result.contentType ?? jsonContentType);
  response.end(typeof result.body === 'string' ? result.body : Buffer.from(result.body));
}
