// `npm run bench`: N complete downloads through the real HTTPS SM-DP+ on loopback, driven by the
// software eUICC (ES10 over APDUs in process) as client, and — measured in the same run — the bare
// crypto of one download (every signature, verification, key agreement and the BPP encryption) as the
// ceiling. BENCH_DOWNLOADS (default 40) and BENCH_CONCURRENCY (default 4) tune the run.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BspSession, eckaSharedSecret, generateEckaKeyPair, protectProfileElements, signRaw, verifyRaw } from '@zkesim/protocol';
import type { BenchFigure } from '../../bench/main.js';
import { iccidToBytes } from '../src/core/identifiers.js';
import { startHarness } from '../test/helpers/harness.js';
import { TestLpa } from '../test/helpers/lpa.js';
import { sgp26Eid } from '../test/helpers/sgp26Card.js';
import { sgp26 } from '../test/helpers/testPki.js';

const downloads = Number(process.env.BENCH_DOWNLOADS ?? '40');
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '4');

async function oneDownload(es9Url: string, ca: string, matchingId: string, iccid: string): Promise<number> {
  const started = performance.now();
  const lpa = await TestLpa.create(es9Url, ca);
  await lpa.initiateAuthentication();
  await lpa.authenticateServer(matchingId);
  await lpa.authenticateClient();
  await lpa.prepareDownload();
  const bound = await lpa.getBoundProfilePackage();
  if (lpa.boundProfilePackage.length === 0) throw new Error(`no BPP: ${bound.text}`);
  lpa.openBoundProfilePackage();
  const notified = await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid as never)));
  if (notified.status !== 204) throw new Error(`handleNotification answered ${notified.status}`);
  return performance.now() - started;
}

/** The crypto one download needs on both sides (P-256), without HTTP, ASN.1 or storage. */
function cryptoOfOneDownload(): { serverMs: number; totalMs: number } {
  const key = (path: string) => createPrivateKey(readFileSync(sgp26(path)));
  const cert = (path: string) => new X509Certificate(readFileSync(sgp26(path)));
  const dpAuth = key('DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem');
  const dpPb = key('DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem');
  const euiccKey = key('eUICC/SK_EUICC_ECDSA_NIST.pem');
  const ci = cert('CertificateIssuer/CERT_CI_ECDSA_NIST.der');
  const eum = cert('EUM/CERT_EUM_ECDSA_NIST.der');
  const euicc = cert('eUICC/CERT_EUICC_ECDSA_NIST.der');
  const dpAuthCert = cert('DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der');
  const dpPbCert = cert('DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der');
  const upp = new Uint8Array(readFileSync(new URL('../profiles/TS48V1-A-UNIQUE.der', import.meta.url)));
  const data = new Uint8Array(200).fill(7);
  const time = (work: () => void): number => {
    for (let i = 0; i < 20; i += 1) work();
    const rounds = 200;
    const start = performance.now();
    for (let i = 0; i < rounds; i += 1) work();
    return (performance.now() - start) / rounds;
  };
  const server = time(() => {
    const s1 = signRaw(dpAuth, data); // serverSignature1
    eum.verify(ci.publicKey); // eUICC chain
    euicc.verify(eum.publicKey);
    verifyRaw(euicc.publicKey, data, s1); // euiccSignature1 (same cost as a real one)
    signRaw(dpPb, data); // smdpSignature2
    verifyRaw(euicc.publicKey, data, s1); // euiccSignature2
    const oneTime = generateEckaKeyPair('P-256');
    const peer = generateEckaKeyPair('P-256');
    const secret = eckaSharedSecret(oneTime.privateKey, peer.publicPoint);
    signRaw(dpPb, data); // smdpSign in BF23
    protectProfileElements(BspSession.derive({ sharedSecret: secret, hostId: data.subarray(0, 8), eid: data.subarray(0, 16) }), upp);
    verifyRaw(euicc.publicKey, data, s1); // euiccSignPIR
  });
  const card = time(() => {
    dpAuthCert.verify(ci.publicKey);
    const s = signRaw(euiccKey, data); // euiccSignature1
    verifyRaw(dpAuthCert.publicKey, data, s); // serverSignature1
    dpPbCert.verify(ci.publicKey);
    verifyRaw(dpPbCert.publicKey, data, s); // smdpSignature2
    generateEckaKeyPair('P-256'); // otPK.EUICC
    signRaw(euiccKey, data); // euiccSignature2
    signRaw(euiccKey, data); // euiccSignPIR
  });
  return { serverMs: server, totalMs: server + card };
}

export default async function bench(): Promise<BenchFigure[]> {
  const harness = await startHarness((config) => {
    config.limits.maxConcurrentPerAddress = Math.max(16, concurrency * 2);
  }, downloads);
  try {
    const orders: { matchingId: string; iccid: string }[] = [];
    for (let i = 0; i < downloads; i += 1) {
      const matchingId = `BENCH-${i}`;
      orders.push({ matchingId, iccid: await harness.order({ eid: sgp26Eid, matchingId }) });
    }
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < orders.length) {
          const order = orders[next++] as { matchingId: string; iccid: string };
          latencies.push(await oneDownload(harness.smdp.es9Url, harness.pki.ciNist, order.matchingId, order.iccid));
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const installed = await harness.smdp.repository.transaction((tx) => tx.countProfiles('installed'));
    if (installed !== downloads) throw new Error(`only ${installed} of ${downloads} profiles installed`);
    latencies.sort((a, b) => a - b);
    const percentile = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const rate = downloads / elapsedS;
    const ceiling = cryptoOfOneDownload();
    const note = `${downloads} downloads, ${concurrency} in parallel, P-256, eUICC emulator in the same process`;
    return [
      { name: 'smdp download: complete downloads per second', value: rate, unit: '/s', note },
      { name: 'smdp download: latency p50', value: percentile(50), unit: 'ms' },
      { name: 'smdp download: latency p99', value: percentile(99), unit: 'ms' },
      { name: 'smdp download: crypto of one download, server side', value: ceiling.serverMs, unit: 'ms' },
      { name: 'smdp download: crypto of one download, server + eUICC', value: ceiling.totalMs, unit: 'ms' },
      { name: 'smdp download: crypto ceiling (server + eUICC, one core)', value: 1000 / ceiling.totalMs, unit: '/s' },
      { name: 'smdp download: measured / ceiling', value: rate / (1000 / ceiling.totalMs), unit: 'ratio' },
      { name: 'smdp download: peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' },
    ];
  } finally {
    await harness.close();
  }
}
