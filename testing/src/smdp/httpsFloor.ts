// The HTTPS floor of the SM-DP+ load bench: what Node's HTTPS alone costs a server per download. A node:https
// server with the very TLS settings, certificate, key and HTTP timeouts of one ES9+ endpoint of the SM-DP+'s
// config (rsp-server's serverTlsOptions and httpTimeouts, as the SM-DP+'s listener builds them), answering each
// ES9+ call the load recorded (wire.ts) with a canned body of the recorded size and status, with the headers the
// SM-DP+'s answers carry (rsp-server's sendRouteResult), after reading the whole request body, and doing nothing
// else. It runs in a process of its own (floorProcess.ts), driven by the load's client processes with the same
// queue, warm-up, keep-alive agent and request sizes (loadPhase.ts), and its CPU is read from /proc as the
// SM-DP+'s is. The SM-DP+'s CPU per download above the floor is what its own code costs (crypto included).
// Two more transports: `http`, the same server in HTTP/1.1 over plain TCP (node:http, same timeouts and answers),
// so that the HTTPS floor less it is TLS's share; `tls`, TLS sockets with no HTTP module at all
// (tlsSocketFloor.ts, replaying the `http` floor's answers byte for byte), so that the HTTPS floor less it is what
// Node's HTTP/1.1 server costs.
import { createServer as createPlainServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { closeServer, defaultConnectionLimits, httpTimeouts, listen, sendRouteResult, serverTlsOptions, type RouteResult } from '@zkesim/rsp-server';
import type { SmdpConfig } from '@zkesim/sm-dp-plus';
import type { LoadClientInput } from './loadClient.js';
import { runPhase, type Order } from './loadPhase.js';
import { cannedBody, es9Path, wireCalls, type WireCall } from './wire.js';
import { startBackground } from '../stack/processes.js';
import { recordAnswers, startTlsSocketFloor } from './tlsSocketFloor.js';

/** How the floor serves: node:https (the HTTPS floor), node:http over plain TCP, or bare node:tls sockets. */
export type FloorTransport = 'https' | 'http' | 'tls';

/** A path no ES9+ function has, whose answer is the floor's 404. */
const unknownPath = '/gsma/rsp2/es9plus/not-a-function';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

/** The floor server for ES9+ endpoint `endpoint` of `config`, listening on the config's host at a free port. */
export async function startFloorServer(config: SmdpConfig, endpoint: number, calls: readonly WireCall[], transport: FloorTransport = 'https'): Promise<FloorServer> {
  const es9 = config.es9[endpoint];
  if (es9 === undefined) throw new Error(`HTTPS floor: the config has no ES9+ endpoint ${endpoint}`);
  const answers = new Map<string, RouteResult>(
    calls.map((call) => [es9Path(call.fn), call.status === 204 ? { status: 204 } : { status: call.status, body: cannedBody(call.responseBytes) }]),
  );
  const notFound: RouteResult = { status: 404, body: 'not found\n', contentType: 'text/plain' };
  const limits = { ...defaultConnectionLimits, ...config.connections };
  const answer = (request: IncomingMessage, response: ServerResponse): void => {
    const result = answers.get(request.url ?? '') ?? notFound;
    // The whole body is read (and dropped) before the answer, as the SM-DP+ reads it before running a function.
    request.on('data', () => undefined);
    request.once('end', () => sendRouteResult(response, result));
  };
  const tls = serverTlsOptions(es9.tlsCertificate, es9.tlsKey, es9.tlsChain);
  if (transport === 'tls') {
    // The answers as the plain-TCP floor sends them (the headers of rsp-server's send and node's own), recorded once.
    const recorder = createPlainServer(httpTimeouts(limits), answer);
    const port = Number(new URL(await listen(recorder, '127.0.0.1', 0, 'http')).port);
    const recorded = await recordAnswers(port, [...answers.keys(), unknownPath]).finally(() => closeServer(recorder));
    const notFoundBytes = recorded.get(unknownPath) ?? Buffer.alloc(0);
    return startTlsSocketFloor(tls, recorded, notFoundBytes, limits.keepAliveTimeoutMs, config.host);
  }
  const server = transport === 'http' ? createPlainServer(httpTimeouts(limits), answer) : createServer({ ...tls, ...httpTimeouts(limits) }, answer);
  return { url: await listen(server, config.host, 0, transport === 'http' ? 'http' : 'https'), close: () => closeServer(server) };
}

/** A listening floor server: its base URL, and how to stop it (open connections closed). */
export interface FloorServer {
  url: string;
  close(): Promise<void>;
}

export interface FloorOptions {
  /** The SM-DP+'s config file (the one its process was started with), and which of its ES9+ endpoints to copy. */
  configFile: string;
  endpoint: number;
  /** The calls of one download, as the SM-DP+'s timed downloads put them on the wire. */
  calls: readonly WireCall[];
  /** The clients' settings but the URL (the floor's). */
  input: Omit<LoadClientInput, 'es9Url' | 'floor'>;
  /** The same orders as the SM-DP+'s run: the first `warmup` untimed, the rest timed (only their count matters). */
  orders: readonly Order[];
  warmup: number;
  concurrency: number;
  /** How the floor serves (default https). */
  transport?: FloorTransport;
}

export interface FloorResult {
  /** Timed downloads completed (each: every call answered with its recorded status and size). */
  downloads: number;
  errors: string[];
  elapsedS: number;
  /** The floor server's CPU (user + system) in the timed window, and of it the kernel's share (ms). */
  cpuMs: number;
  systemCpuMs: number;
  connections: number;
  resumedSessions: number;
  /** What the floor's clients sent and received, per call (to compare with `calls`). */
  wire: WireCall[];
}

/** Starts the floor server in its own process, runs the warm-up and the timed downloads against it, stops it. */
export async function runFloor(options: FloorOptions): Promise<FloorResult> {
  if (options.calls.length === 0) throw new Error('HTTPS floor: no ES9+ call was recorded (every download failed before its first answer?)');
  const server = startBackground(`node bin/run-ts.js testing/src/smdp/floorProcess.ts ${JSON.stringify(options.configFile)} ${options.endpoint} ${JSON.stringify(JSON.stringify(options.calls))} ${options.transport ?? 'https'}`, {
    cwd: repository,
    env: process.env,
  });
  try {
    await server.waitFor('ready ', 60_000);
    const url = (JSON.parse(/ready (\{.*\})/.exec(server.output())?.[1] ?? '{}') as { url?: string }).url;
    if (url === undefined) throw new Error(`HTTPS floor: no URL in ${server.output().slice(-500)}`);
    const phase = await runPhase({
      input: { ...options.input, es9Url: url, floor: [...options.calls] },
      orders: options.orders,
      warmup: options.warmup,
      concurrency: options.concurrency,
      pids: [server.child.pid as number],
    });
    return {
      downloads: phase.results.reduce((sum, r) => sum + r.latenciesMs.length, 0),
      errors: phase.results.flatMap((r) => r.errors),
      elapsedS: phase.elapsedS,
      cpuMs: phase.cpuMsPerProcess.reduce((sum, ms) => sum + ms, 0),
      systemCpuMs: phase.systemCpuMs,
      connections: phase.results.reduce((sum, r) => sum + r.connections, 0),
      resumedSessions: phase.results.reduce((sum, r) => sum + r.resumed, 0),
      wire: wireCalls(phase.results.map((r) => r.wire)),
    };
  } finally {
    await server.interrupt(10_000);
  }
}
