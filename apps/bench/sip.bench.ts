// `npm run bench sip`: registration and call set-up through Kamailio and the ZK verifier on the loopback, with and
// without the proof generation in front: REGISTER → 200 and INVITE → 200 as sipp's trace times them (the
// registrar asks the verifier: SNARK check, group root, replay cache), the proof generation of each (depth of a
// 100-member group), and the floor: a REGISTER without a proof (Kamailio → verifier → 401). Wall clock on this
// machine, which other work shares; the benchmark reports, no test asserts.
import { join } from 'node:path';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { fundedWallet, testProvider } from '@zkesim/testing/chain/nodes';
import { createDevelopmentPki } from '@zkesim/pki';
import {
  SubscriberRegistry, createIdentity, deployIdentityContracts, deployWithSigner, releaseProver, startBundledNode, startOnFreePort,
} from '@zkesim/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { kamailioInstalled } from '../src/sip/kamailio/kamailioProcess.js';
import { startSipService } from '../src/sip/service.js';
import { answerCall, fingerprintLine, sendInvite, sendRegister, sipRegister, type SipOutcome } from '../src/sip/subscriber/sipClient.js';
import { ownSipAddress, prepareInvite, prepareRegister } from '../src/sip/subscriber/sipProofs.js';
import { sippInstalled, tcpContact } from '../src/sip/subscriber/sippRunner.js';

const ROUNDS = 5;
const GROUP_SIZE = 100;
const FINGERPRINT = `sha-256 ${Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;

/** Request sent → first final answer received, from sipp's own trace. */
function exchangeMs(outcome: SipOutcome, method: string): number {
  const sent = outcome.sipp.messages.find((m) => m.direction === 'sent' && m.startLine.startsWith(method));
  const final = outcome.sipp.messages.find((m) => m.direction === 'received' && /^SIP\/2\.0 [2-6]\d\d/.test(m.startLine));
  if (sent === undefined || final === undefined) throw new Error(`${method}: no answer (${outcome.status} ${outcome.reason})`);
  return final.at - sent.at;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

export default async function sipBench(): Promise<BenchFigure[]> {
  if (!kamailioInstalled() || !sippInstalled()) return [{ name: 'SIP: skipped (kamailio or sipp not installed)', value: 0, unit: '' }];
  const dir = mkdtempSync(join(tmpdir(), 'zkesim-sip-bench-'));
  const node = await startBundledNode({ dataDir: join(dir, 'chain') });
  const provider = testProvider(node.rpcUrl);
  try {
    const operator = await fundedWallet(provider, 10n ** 21n);
    const deployment = await deployIdentityContracts(deployWithSigner(operator), { admin: operator.address, operator: operator.address }, operator);
    const registry = new SubscriberRegistry(deployment.subscriberFactory, operator, deployment.blockNumber);
    const identities = Array.from({ length: GROUP_SIZE }, () => createIdentity());
    await registry.onboardMany(identities.map((identity) => ({ commitment: identity.commitment })));
    const group = await registry.group();
    const { pki } = createDevelopmentPki(join(dir, 'pki'), { curves: ['nist'], hostnames: ['localhost', '127.0.0.1'] });
    const ci = pki.hierarchies.nist?.ci;
    if (ci === undefined) throw new Error('no CI');
    const sip = await startSipService({ dir: join(dir, 'sip'), domain: 'bench.test', rpcUrl: node.rpcUrl, registry: deployment.subscriberFactory, ci, ciPem: ci.certificatePath.replace(/\.der$/, '.pem'), verifier: { callsPerWindow: 1_000 } });
    try {
      const epoch = () => ({ domain: sip.domain, epochSeconds: 86_400, nowMs: Date.now() });
      const caller = identities[3] ?? createIdentity();
      const callee = identities[4] ?? createIdentity();
      const floor: number[] = [];
      const registerProof: number[] = [];
      const register: number[] = [];
      // sipp binds each contact port itself: a free port, and a fresh one (with a fresh proof, which commits to the
      // Contact) should another process take it first.
      const address = ownSipAddress(caller, epoch());
      for (let round = 0; round < ROUNDS; round += 1) {
        const bare = await startOnFreePort((port) => sendRegister(sip.registrar, sip.domain, { address: `bench@${sip.domain}`, callId: `floor-${round}-${Date.now()}@bench.test`, header: 'Subject: none' }, port));
        floor.push(exchangeMs(bare, 'REGISTER'));
        const { proofMs, outcome } = await startOnFreePort(async (port) => {
          const prepared = await timed(() => prepareRegister(caller, group, epoch(), tcpContact(address.split('@')[0] ?? '', port)));
          return { proofMs: prepared.ms, outcome: await sendRegister(sip.registrar, sip.domain, prepared.result, port) };
        });
        registerProof.push(proofMs);
        if (outcome.status !== 200) throw new Error(`REGISTER refused: ${outcome.status} ${outcome.reason}`);
        register.push(exchangeMs(outcome, 'REGISTER'));
      }
      const calleeRegistration = await sipRegister(sip.registrar, callee, group, epoch());
      const [calleeAddress, calleePort] = [calleeRegistration.address, calleeRegistration.localPort];
      const inviteProof: number[] = [];
      const invite: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const prepared = await timed(() => prepareInvite(caller, group, epoch(), calleeAddress, fingerprintLine(FINGERPRINT)));
        inviteProof.push(prepared.ms);
        const answering = answerCall(calleePort, FINGERPRINT);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const outcome = await startOnFreePort((port) => sendInvite(sip.registrar, calleeAddress, prepared.result, FINGERPRINT, port));
        await answering.done;
        if (outcome.status !== 200) throw new Error(`INVITE refused: ${outcome.status} ${outcome.reason}`);
        invite.push(exchangeMs(outcome, 'INVITE'));
      }
      const note = `median of ${ROUNDS}, group of ${GROUP_SIZE} (depth ${group.depth})`;
      return [
        { name: 'SIP: REGISTER without proof → 401 (floor)', value: median(floor), unit: 'ms', note },
        { name: 'SIP: REGISTER proof generation', value: median(registerProof), unit: 'ms', note },
        { name: 'SIP: REGISTER → 200 (proof verified, contact saved)', value: median(register), unit: 'ms', note },
        { name: 'SIP: registration incl. proof generation', value: median(registerProof) + median(register), unit: 'ms', note: 'sum of the medians' },
        { name: 'SIP: INVITE proof generation', value: median(inviteProof), unit: 'ms', note },
        { name: 'SIP: INVITE → 200 OK (verified, routed, answered)', value: median(invite), unit: 'ms', note },
        { name: 'SIP: call set-up incl. proof generation', value: median(inviteProof) + median(invite), unit: 'ms', note: 'sum of the medians' },
      ];
    } finally {
      await sip.close();
    }
  } finally {
    provider.destroy();
    await releaseProver();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
