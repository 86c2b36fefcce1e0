// `npm run bench -- sm-dp-plus/bench/codec`: the ASN.1 codec on the SM-DP+'s download path. One complete
// download through the real HTTPS SM-DP+ (software eUICC, lpa-core) is run with every codec call recorded;
// the calls made by the server's own code (sm-dp-plus and the pki it calls) are then replayed in a loop,
// per type and direction, and priced in µs of CPU per download. BENCH_CODEC_SECONDS (default 0.5) per type.
import { readFileSync } from 'node:fs';
import { asn1Types, type Codec, type DecodeOptions } from '@zkesim/protocol';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { Lpa } from '@zkesim/testing/smdp/lpa-core';
import { bindEs9Port, startHarness } from '@zkesim/testing/smdp/harness';
import { sgp26Card, sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { smdpHost } from '@zkesim/testing/smdp/testPki';

const seconds = Number(process.env.BENCH_CODEC_SECONDS ?? '0.5');

export interface Call {
  readonly op: 'decode' | 'encode';
  readonly type: string;
  readonly arg: unknown;
  readonly options?: DecodeOptions;
}

/** Whether the codec was called from the server's code (not from the eUICC or the LPA in this process). */
function fromServer(): boolean {
  const stack = new Error().stack ?? '';
  return stack.includes('/sm-dp-plus/src/') && !stack.includes('/euicc-sim/') && !stack.includes('/lpa-core/');
}

/** Records the server's codec calls during one download. */
export async function recordOneDownload(): Promise<Call[]> {
  const calls: Call[] = [];
  const originals = new Map<Codec<unknown>, Pick<Codec<unknown>, 'encode' | 'decode'>>();
  for (const [type, codec] of asn1Types) {
    const mutable = codec as { -readonly [K in keyof Codec<unknown>]: Codec<unknown>[K] };
    const { encode, decode } = codec;
    originals.set(codec, { encode, decode });
    mutable.encode = (value) => {
      if (fromServer()) calls.push({ op: 'encode', type, arg: value });
      return encode(value);
    };
    mutable.decode = (bytes, options) => {
      if (fromServer()) calls.push({ op: 'decode', type, arg: bytes.slice(), ...(options === undefined ? {} : { options }) });
      return decode(bytes, options);
    };
  }
  const es9 = await bindEs9Port();
  const harness = await startHarness(
    (config) => {
      config.address = es9.address;
      const endpoint = config.es9[0];
      if (endpoint !== undefined) endpoint.port = es9.port;
    },
    2,
    { boundSockets: es9.boundSockets },
  );
  try {
    const ca = readFileSync(harness.pki.ciNist, 'utf8');
    const run = async (matchingId: string) => {
      await harness.order({ eid: sgp26Eid, matchingId });
      const { card } = sgp26Card();
      const lpa = await Lpa.open({ transport: card, https: { trustedCertificates: [ca], resolve: { [smdpHost]: '127.0.0.1' } } });
      const result = await lpa.downloadProfile({ smdpAddress: es9.address, matchingId });
      await lpa.close();
      if (result.notifications.length === 0) throw new Error('the install notification was not sent');
    };
    await run('CODEC-WARM'); // caches (certificates, templates) as in a running server
    calls.length = 0;
    await run('CODEC-1');
    return [...calls];
  } finally {
    await harness.close();
    for (const [codec, original] of originals) Object.assign(codec, original);
  }
}

/** µs of CPU per repetition of `work`. */
function cpuMicros(work: () => void): number {
  for (const end = Date.now() + seconds * 300; Date.now() < end; ) work();
  let rounds = 0;
  const start = process.cpuUsage();
  const wallEnd = Date.now() + seconds * 1000;
  while (Date.now() < wallEnd) {
    for (let i = 0; i < 50; i++) work();
    rounds += 50;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / rounds;
}

export default async function bench(): Promise<BenchFigure[]> {
  const calls = await recordOneDownload();
  const groups = new Map<string, Call[]>();
  for (const call of calls) {
    const key = `${call.op} ${call.type}`;
    groups.set(key, [...(groups.get(key) ?? []), call]);
  }
  const figures: BenchFigure[] = [];
  let total = 0;
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const codec = asn1Types.get(group[0]!.type)!;
    const work =
      group[0]!.op === 'decode'
        ? () => {
            for (const call of group) codec.decode(call.arg as Uint8Array, call.options);
          }
        : () => {
            for (const call of group) codec.encode(call.arg);
          };
    const micros = cpuMicros(work);
    total += micros;
    const bytes = group.reduce((sum, call) => sum + (call.op === 'decode' ? (call.arg as Uint8Array).length : codec.encode(call.arg).length), 0);
    figures.push({ name: `codec: ${key}`, value: micros, unit: 'µs/download', note: `${group.length} calls, ${bytes} bytes` });
  }
  figures.push({ name: 'codec: server calls of one download, total', value: total, unit: 'µs/download', note: `${calls.length} calls` });
  return figures;
}
