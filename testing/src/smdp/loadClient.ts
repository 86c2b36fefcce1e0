// One client process of the SM-DP+ load generator (load.ts): the LPA and the eUICC of field devices, one
// download after the other (each order asked of the parent over IPC when the previous one is done, so that
// all clients draw from one queue and none sits idle while others still have work), over one keep-alive HTTPS agent (connection and TLS session reuse, as field LPAs
// do). The eUICC's ECDSA and ECKA are real (euicc-sim with the SGP.26 credential, in this process, ES10
// without APDU framing: TestLpa.direct); the BPP is not loaded: the card's signed installation result (BF37)
// is sent as soon as the BPP arrives, so the client spends no time installing.
//   spawned by load.ts with an IPC channel: node bin/run-ts.js testing/src/smdp/loadClient.ts '{"es9Url":…,"ca":…}'
// Prints `ready`, waits for a line on stdin, then sends `{ next: true }` and gets `{ order: {matchingId, iccid} }`
// or `{ done: true }` until the queue is empty, and prints one line:
// `result {"latenciesMs":[…],"errors":[…],"connections":N,"resumed":N,"workers":{…},"wire":{…}}`, where `wire`
// tallies what each ES9+ call put on the wire (wire.ts).
// With `floor` in its input it drives the HTTPS floor (httpsFloor.ts) instead: per order, each of those calls
// with a canned request body of the recorded size over the same agent, its answer checked for the recorded
// status and size; no eUICC, no LPA logic.
import { Agent as PlainAgent } from 'node:http';
import { Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { statusOf } from './https.js';
import { TestLpa } from './lpa.js';
import { cannedBody, tallyExchange, type WireCall, type WireTally } from './wire.js';
import type { Sgp26Curve } from '../euicc/sgp26Euicc.js';

export interface LoadClientInput {
  es9Url: string;
  ca: string;
  /** The SGP.26 eUICC (default NIST); `brp` also connects with the brainpool endpoint's TLS settings. */
  curve?: Sgp26Curve;
  /** Drive the HTTPS floor: these calls per download, with canned bodies of their sizes. */
  floor?: WireCall[];
}

interface Order {
  matchingId: string;
  iccid: string;
}

/** The next order of the shared queue (load.ts), or undefined when it is empty. */
function nextOrder(): Promise<Order | undefined> {
  return new Promise((resolve) => {
    process.once('message', (message: { order?: Order }) => resolve(message.order));
    process.send?.({ next: true });
  });
}

const input = JSON.parse(process.argv[2] ?? '{}') as LoadClientInput;
/** The keep-alive agent, counting the TLS connections it opens and how many resumed a session. */
class CountingAgent extends Agent {
  connections = 0;
  resumed = 0;
  override createConnection(...args: Parameters<Agent['createConnection']>): ReturnType<Agent['createConnection']> {
    const socket = super.createConnection(...args) as TLSSocket;
    this.connections += 1;
    socket.once('secureConnect', () => {
      if (socket.isSessionReused()) this.resumed += 1;
    });
    return socket;
  }
}
/** The same for an http: URL (the plain-TCP floor), which opens connections without TLS. */
class CountingPlainAgent extends PlainAgent {
  connections = 0;
  resumed = 0;
  override createConnection(...args: Parameters<PlainAgent['createConnection']>): ReturnType<PlainAgent['createConnection']> {
    this.connections += 1;
    return super.createConnection(...args);
  }
}
const agent = input.es9Url.startsWith('http:') ? new CountingPlainAgent({ keepAlive: true, maxSockets: 1 }) : new CountingAgent({ keepAlive: true, maxSockets: 1 });
const latenciesMs: number[] = [];
// Started (tsx, imports) before the clock runs: wait for the go line on stdin.
process.stdout.write('ready\n');
await new Promise<void>((go) => process.stdin.once('data', () => go()));
const errors: string[] = [];
/** Downloads per server process that bound them (`X-Zkesim-Worker` of GetBoundProfilePackage; `-` for one process). */
const workers: Record<string, number> = {};

const expectSuccess = (fn: string, result: { status: number; json: () => Record<string, unknown> }): void => {
  const status = result.status === 200 ? statusOf(result as Parameters<typeof statusOf>[0]) : { status: `HTTP ${result.status}` };
  if (status.status !== 'Executed-Success') throw new Error(`${fn}: ${JSON.stringify(status)}`);
};

/** What each ES9+ call put on the wire, over this client's downloads. */
const wire: WireTally = {};
const newLpa = (): TestLpa => {
  const lpa = TestLpa.direct(input.es9Url, input.ca, input.curve ?? 'nist');
  lpa.brainpoolTls = input.curve === 'brp';
  lpa.agent = agent;
  lpa.onExchange = (fn, requestBytes, result) => tallyExchange(wire, fn, requestBytes, result.bytes.length, result.status);
  return lpa;
};

/** One download's calls to the HTTPS floor, each answer checked for its recorded status and size. */
async function floorDownload(lpa: TestLpa, calls: readonly WireCall[], bodies: readonly string[]): Promise<void> {
  for (const [i, call] of calls.entries()) {
    const result = await lpa.es9(call.fn, bodies[i] ?? '');
    if (result.status !== call.status || result.bytes.length !== call.responseBytes) {
      throw new Error(`${call.fn}: HTTP ${result.status} with ${result.bytes.length} bytes, expected ${call.status} with ${call.responseBytes}`);
    }
  }
}
const floor = input.floor === undefined ? undefined : { lpa: newLpa(), calls: input.floor, bodies: input.floor.map((call) => cannedBody(call.requestBytes).toString('utf8')) };

for (let order = await nextOrder(); order !== undefined; order = await nextOrder()) {
  const started = performance.now();
  try {
    if (floor !== undefined) {
      await floorDownload(floor.lpa, floor.calls, floor.bodies);
      latenciesMs.push(performance.now() - started);
      continue;
    }
    const lpa = newLpa();
    expectSuccess('initiateAuthentication', await lpa.initiateAuthentication());
    await lpa.authenticateServer(order.matchingId);
    expectSuccess('authenticateClient', await lpa.authenticateClient());
    await lpa.prepareDownload();
    const bound = await lpa.getBoundProfilePackage();
    expectSuccess('getBoundProfilePackage', bound);
    const worker = String(bound.headers['x-zkesim-worker'] ?? '-');
    workers[worker] = (workers[worker] ?? 0) + 1;
    const notified = await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(order.iccid as IccidDigits)));
    if (notified.status !== 204) throw new Error(`handleNotification: HTTP ${notified.status}`);
    latenciesMs.push(performance.now() - started);
  } catch (error) {
    errors.push(`${order.matchingId}: ${(error as Error).message}`);
  }
}
agent.destroy();
process.stdout.write(`result ${JSON.stringify({ latenciesMs, errors, connections: agent.connections, resumed: agent.resumed, workers, wire })}\n`);
process.disconnect?.();
