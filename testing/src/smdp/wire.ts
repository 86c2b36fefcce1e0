// What the load generator's ES9+ calls put on the wire (body bytes each way and the HTTP status, per function),
// tallied by each client process (loadClient.ts) over its timed downloads and summed by load.ts into one mean
// per call, which the HTTPS floor (httpsFloor.ts) then answers and sends: one home for the shapes both use.

/** The path of an ES9+ function by its name (SGP.22 §6.5: `/gsma/rsp2/es9plus/<function>`); any name, malformed calls too. */
export const es9Path = (fn: string): string => `/gsma/rsp2/es9plus/${fn}`;

/** Per ES9+ function, in the order the calls were first made: how many calls, body bytes summed, statuses counted. */
export type WireTally = Record<string, { calls: number; requestBytes: number; responseBytes: number; statuses: Record<string, number> }>;

/** One ES9+ call of a download as it went over the wire: mean body sizes (bytes, rounded) and the most frequent status. */
export interface WireCall {
  fn: string;
  calls: number;
  requestBytes: number;
  responseBytes: number;
  status: number;
}

export function tallyExchange(tally: WireTally, fn: string, requestBytes: number, responseBytes: number, status: number): void {
  const entry = (tally[fn] ??= { calls: 0, requestBytes: 0, responseBytes: 0, statuses: {} });
  entry.calls += 1;
  entry.requestBytes += requestBytes;
  entry.responseBytes += responseBytes;
  entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
}

/** The clients' tallies summed into one mean call per function, in the order of the calls. */
export function wireCalls(tallies: readonly WireTally[]): WireCall[] {
  const total: WireTally = {};
  for (const tally of tallies) {
    for (const [fn, one] of Object.entries(tally)) {
      const entry = (total[fn] ??= { calls: 0, requestBytes: 0, responseBytes: 0, statuses: {} });
      entry.calls += one.calls;
      entry.requestBytes += one.requestBytes;
      entry.responseBytes += one.responseBytes;
      for (const [status, n] of Object.entries(one.statuses)) entry.statuses[status] = (entry.statuses[status] ?? 0) + n;
    }
  }
  return Object.entries(total).map(([fn, entry]) => ({
    fn,
    calls: entry.calls,
    requestBytes: Math.round(entry.requestBytes / entry.calls),
    responseBytes: Math.round(entry.responseBytes / entry.calls),
    status: Number(Object.entries(entry.statuses).sort(([, a], [, b]) => b - a)[0]?.[0] ?? 0),
  }));
}

/** A JSON text of exactly `bytes` bytes (a string of x, `0` for one byte), the canned body of the floor's requests and answers. */
export function cannedBody(bytes: number): Buffer {
  if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`canned body: expected a whole number of bytes ≥ 0, got ${bytes}`);
  return Buffer.from(bytes === 0 ? '' : bytes === 1 ? '0' : `"${'x'.repeat(bytes - 2)}"`, 'utf8');
}

/** Each call's sizes and status, for a bench note: `initiateAuthentication 179 B in, 1208 B out, HTTP 200; …`. */
export function describeWire(calls: readonly WireCall[]): string {
  return calls.map((call) => `${call.fn} ${call.requestBytes} B in, ${call.responseBytes} B out, HTTP ${call.status}`).join('; ');
}
