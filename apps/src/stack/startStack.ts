// `zkesim start`: the whole stack on embedded defaults. First run creates the development
// PKI, the SM-DP+ database with the bundled TS.48 inventory, and one eUICC; every run starts the SM-DP+ (ES9+
// and ES2+), the SM-DS beside it (the eUICC's root SM-DS) and the chain layer, serves the eUICC over TCP, places one demo order through ES2+ and returns the activation code
// and the exact LPA command that downloads it.
import { isAbsolute, relative } from 'node:path';
import type { OnboardingAnswer } from '@zkesim/sm-dp-plus';
import { DEMO_SUBSCRIBER_PLAN, startOperatorPlans, type OperatorPlans } from '../operator/plans/operatorPlans.js';
import { operatorCallbackUrl, startStackOperator, type RunningOperatorService } from './operator.js';
import { formatActivationCode } from '@zkesim/lpa-core';
import { ensureDevelopmentPki, type StackPki } from './developmentPki.js';
import { placeOrder, type Es2ClientOptions, type PlacedOrder } from './es2Client.js';
import { ensureEuiccState, serveEuicc, type RunningEuicc } from './euicc.js';
import { startStackChain, type RunningChain } from './chain.js';
import { startStackSmdp, type RunningSmdp } from './smdp.js';
import { startStackSmds, type RunningSmds } from './smds.js';
import { bindStackPorts } from './stackPorts.js';
import type { StackConfig } from './stackConfig.js';
import { startStackSip, type StackSip } from '../sip/stackSip.js';

export interface RunningStack {
  readonly smdpAddress: string;
  readonly smdp: RunningSmdp;
  /** The SM-DS beside the SM-DP+: the eUICC's root SM-DS, where orders given its address register events. */
  readonly smds: RunningSmds;
  readonly smdsAddress: string;
  readonly euicc: RunningEuicc;
  readonly ciPem: string;
  readonly es2: Es2ClientOptions;
  readonly order: PlacedOrder;
  readonly activationCode: string;
  /** The command that downloads the demo order, relative to `cwd`. */
  readonly lpaCommand: string;
  readonly pkiCreated: boolean;
  readonly pki: StackPki;
  /** The chain layer, unless ZKESIM_CHAIN=off. */
  readonly chain: RunningChain | undefined;
  /** The operator component: its portal (staff web application) and its ES2+ receiver. */
  readonly operator: RunningOperatorService;
  /** The demo subscriber the operator component onboards (the same one on every start), with a chain only. */
  readonly subscriber: (OnboardingAnswer & { kycReference: string; lpaCommand: string }) | undefined;
  /** Kamailio and the ZK verifier (apps/src/sip/stackSip.ts), or why they are not running. */
  readonly sip: StackSip;
  /** The operator component's plans API (HTTPS); the demo subscriber has a plan on it. */
  readonly plans: OperatorPlans;
  close(): Promise<void>;
}

/** The demo customer: the operator component's KYC store keeps this record; only its reference reaches us. */
export const DEMO_CUSTOMER = { name: 'Demo Subscriber', document: 'passport:DEMO-0001' } as const;

export function lpaCommandFor(options: { euiccPort: number; ciPem: string; activationCode: string; cwd: string }): string {
  const near = relative(options.cwd, options.ciPem);
  const ci = near === '' || near.startsWith('..') || isAbsolute(near) ? options.ciPem : near;
  return `npx zkesim lpa --euicc tcp:127.0.0.1:${options.euiccPort} --ci ${ci} profile download --activation-code '${options.activationCode}'`;
}

export interface StackOverrides {
  /** The SM-DP+'s clock, for tests that expire orders. */
  readonly clock?: { now: () => number };
  /** Other SM-DSs whose ES12 port the SM-DP+ must know (tests: an Alternative SM-DS), besides the stack's own. */
  readonly smdsPeers?: readonly { address: string; es12Address: string }[];
}

export async function startStack(config: StackConfig, cwd: string, onError: (error: unknown) => void, overrides: StackOverrides = {}): Promise<RunningStack> {
  const pki = ensureDevelopmentPki(config.dataDir);
  // Ports configured as 0 are bound now, before the SM-DP+'s configuration names them (stackPorts.ts).
  const ports = await bindStackPorts(config);
  const { es9Port, operatorEs2Port, smdsPort, smdsPeerPort, sockets: boundSockets } = ports;
  const smdpAddress = `${config.smdpHost}:${es9Port}`;
  let chain: RunningChain | undefined;
  try {
    chain = config.chain ? await startStackChain(config.dataDir, config.environment) : undefined;
  } catch (error) {
    await ports.close();
    throw error;
  }
  // The operator's ES2+ receiver is started after the SM-DP+, whose configuration names it as the callback URL;
  // the SM-DS after the SM-DP+ too, whose configuration maps the SM-DS address to its ES12 port.
  const smdsAddress = `${config.smdpHost}:${smdsPort}`;
  let smdp: RunningSmdp;
  try {
    smdp = await startStackSmdp({
      dataDir: config.dataDir,
      pki,
      address: smdpAddress,
      es9Port,
      boundSockets,
      es2Port: config.es2Port,
      adminPort: config.adminPort,
      environment: config.environment,
      cwd,
      operatorCallbackUrl: operatorCallbackUrl(operatorEs2Port),
      smdsPeers: [{ address: smdsAddress, es12Address: `${config.smdpHost}:${smdsPeerPort}` }, ...(overrides.smdsPeers ?? [])],
      ...(overrides.clock === undefined ? {} : { clock: overrides.clock }),
      ...(chain === undefined ? {} : { anchorDirectory: chain.dataDir, subscribers: chain.subscribers }),
    });
  } catch (error) {
    await chain?.close();
    await ports.close();
    throw error;
  }
  let euicc: RunningEuicc | undefined;
  let smds: RunningSmds | undefined;
  let sip: StackSip | undefined;
  let plans: OperatorPlans | undefined;
  let operator: RunningOperatorService | undefined;
  try {
    smds = await startStackSmds({ dataDir: config.dataDir, pki, address: smdsAddress, port: smdsPort, peerPort: smdsPeerPort, boundSockets, environment: config.environment, cwd });
    const stateFile = ensureEuiccState(config.dataDir, pki, smdpAddress, smdsAddress);
    euicc = await serveEuicc(stateFile, config.euiccPort, onError);
    const h = pki.nist;
    sip = await startStackSip({
      dataDir: config.dataDir, cwd, env: config.environment, ci: h.ci, ciPem: pki.ciPem,
      chain: chain === undefined ? undefined : { rpcUrl: chain.rpcUrl, registry: chain.subscribers.registry },
    });
    const runningSip = sip;
    const es2: Es2ClientOptions = {
      url: smdp.es2Url,
      servername: config.smdpHost,
      ca: pki.ciPem,
      cert: h['operator-client'].certificatePath,
      key: h['operator-client'].keyPath,
      operatorId: 'operator',
    };
    operator = await startStackOperator({ config, pki, es2, smdp, smdsPort, operatorEs2Port, boundSockets, chain });
    const order = await placeOrder(es2, { profileType: config.demoProfileType, eid: euicc.eid });
    const activationCode = formatActivationCode({ smdpAddress, matchingId: order.matchingId, confirmationCodeRequired: false });
    const running = euicc;
    const runningSmds = smds;
    plans = await startOperatorPlans(config.dataDir, pki.nist.ci, config.plansPort);
    const runningPlans = plans;
    const runningOperator = operator;
    let subscriber: RunningStack['subscriber'];
    if (chain !== undefined) {
      // The operator component (its own KYC store under <dataDir>/operator) onboards the demo customer through
      // the onboarding API; the same KYC reference on every start, so the same subscriber and order.
      const answer = await operator.operator.onboardCustomer(DEMO_CUSTOMER, { profileType: config.demoProfileType, eid: running.eid });
      operator.orders.placed({ ...answer.order, kycReference: answer.kycReference, profileType: config.demoProfileType, eid: running.eid });
      runningPlans.store.subscribe(answer.order.iccid, DEMO_SUBSCRIBER_PLAN, answer.commitment, Date.now());
      subscriber = { ...answer, lpaCommand: lpaCommandFor({ euiccPort: running.port, ciPem: pki.ciPem, activationCode: answer.order.activationCode, cwd }) };
    }
    return {
      smdpAddress,
      smdp,
      smds: runningSmds,
      smdsAddress,
      euicc: running,
      ciPem: pki.ciPem,
      es2,
      order,
      activationCode,
      lpaCommand: lpaCommandFor({ euiccPort: running.port, ciPem: pki.ciPem, activationCode, cwd }),
      pkiCreated: pki.created,
      pki,
      chain,
      operator: runningOperator,
      subscriber,
      sip: runningSip,
      plans: runningPlans,
      close: async () => {
        await runningSip.close();
        await runningPlans.close();
        await runningOperator.close();
        await running.close();
        await smdp.close();
        await runningSmds.close();
        await chain?.close();
        await ports.close();
      },
    };
  } catch (error) {
    await sip?.close();
    await plans?.close();
    await operator?.close();
    await euicc?.close();
    await smdp.close();
    await smds?.close();
    await chain?.close();
    await ports.close();
    throw error;
  }
}
