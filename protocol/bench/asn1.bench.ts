// Decode and encode throughput of whole SAIP profile packages (the four GSMA TS.48 test profiles),
// element by element as an eUICC or SM-DP+ processes them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ProfileElement, splitTlvs, type ProfileElement as ProfileElementValue } from '../src/index.js';
import type { BenchFigure } from '@zkesim/testing/bench/figure';

const PROFILES = ['TS48V1-A-UNIQUE.der', 'TS48V4-SAIP2-3-NOBERTLV-UNIQUE.der', 'TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der', 'TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der'];

/** MB/s of wall time, and MB per CPU-second of this process (what the work costs, whatever else runs). */
function measure(seconds: number, work: () => number): { wall: number; cpu: number } {
  let bytes = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) bytes += work();
  const used = process.cpuUsage(cpu);
  return { wall: bytes / ((performance.now() - start) / 1000) / 1e6, cpu: bytes / ((used.user + used.system) / 1e6) / 1e6 };
}

export default async function bench(): Promise<BenchFigure[]> {
  const upps = PROFILES.map((file) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../shared/spec/upp/${file}`, import.meta.url)))));
  const elements = upps.map((upp) => splitTlvs(upp).map((tlv) => tlv.tlv));
  const decoded = elements.map((list) => list.map((tlv) => ProfileElement.decode(tlv)));
  const total = upps.reduce((sum, upp) => sum + upp.length, 0);
  const decode = () => {
    for (const list of elements) for (const tlv of list) ProfileElement.decode(tlv);
    return total;
  };
  const encode = () => {
    for (const list of decoded) for (const value of list) ProfileElement.encode(value as ProfileElementValue);
    return total;
  };
  measure(0.3, decode);
  measure(0.3, encode);
  const decoding = measure(2, decode);
  const encoding = measure(2, encode);
  return [
    { name: 'SAIP ProfileElement decode (4 TS.48 profiles)', value: decoding.wall, unit: 'MB/s', note: `${total} bytes per pass; ${decoding.cpu.toFixed(1)} MB per CPU-second` },
    { name: 'SAIP ProfileElement encode (4 TS.48 profiles)', value: encoding.wall, unit: 'MB/s', note: `${encoding.cpu.toFixed(1)} MB per CPU-second` },
  ];
}
