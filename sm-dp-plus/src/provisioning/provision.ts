// `zkesim smdp provision` / `reset`: loads fixture orders through the same ES2+ core
// functions an operator would call (DownloadOrder, ConfirmOrder), so every state change goes through
// the transition table; then applies what ES2+ cannot express (expiry, device constraints, attempt
// counters, Profile Policy Rules, lab-only reusable orders). A run is all-or-nothing: every order of the
// file is made in one repository transaction, so a file that fails half-way (no profile left, a MatchingID
// taken) leaves the store as it was.
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import type { SmdpRepository, SmdpTransaction, TestInstanceStore } from '../core/repository.js';
import { imeiDigits, type IccidDigits } from '@zkesim/protocol';
import { confirmOrder } from '../es2plus/confirmOrder.js';
import { downloadOrder } from '../es2plus/downloadOrder.js';
import type { OperatorIdentity } from '../es2plus/operator.js';
import { FixtureError, type Fixtures } from './fixtures.js';

export interface ProvisionedOrder {
  iccid: IccidDigits;
  matchingId: string;
  eid?: string;
}

export async function provision(
  deps: CoreDeps,
  policy: OrderPolicy,
  operators: readonly OperatorIdentity[],
  fixtures: Fixtures,
): Promise<ProvisionedOrder[]> {
  for (const [index, fixture] of fixtures.orders.entries()) {
    if (fixture.reusable === true && policy.lab !== true) throw new FixtureError(`orders[${index}].reusable`, 'needs lab mode (lab: true in the SM-DP+ configuration)');
  }
  return deps.repository.transaction((tx) => provisionIn({ ...deps, repository: withinTransaction(deps.repository, tx) }, tx, policy, operators, fixtures));
}

/**
 * The store as the ES2+ functions see it during a provisioning run: every transaction they open is the
 * run's one transaction (SQLite runs one transaction at a time, so they could not open their own). Their
 * failures are not caught here: a failed step rolls the whole run back, never only its own writes.
 */
function withinTransaction(repository: SmdpRepository, tx: SmdpTransaction): SmdpRepository {
  return { transaction: (work) => work(tx), health: () => repository.health(), close: () => Promise.resolve() };
}

async function provisionIn(
  deps: CoreDeps,
  tx: SmdpTransaction,
  policy: OrderPolicy,
  operators: readonly OperatorIdentity[],
  fixtures: Fixtures,
): Promise<ProvisionedOrder[]> {
  const now = deps.clock.now();
  for (const entry of fixtures.blockedImeis) {
    await tx.blockImei(imeiDigits(entry.imei, 'blockedImeis.imei'), entry.reason, now);
  }
  const created: ProvisionedOrder[] = [];
  for (const [index, fixture] of fixtures.orders.entries()) {
    const operator = fixture.operatorId === undefined ? operators[0] : operators.find((o) => o.operatorId === fixture.operatorId);
    if (operator === undefined) throw new FixtureError(`orders[${index}].operatorId`, 'no such operator in the configuration');
    const { iccid } = await downloadOrder(deps, policy, operator, {
      ...(fixture.eid === undefined ? {} : { eid: fixture.eid }),
      ...(fixture.iccid === undefined ? {} : { iccid: fixture.iccid }),
      ...(fixture.profileType === undefined ? {} : { profileType: fixture.profileType }),
    });
    const confirmed = await confirmOrder(deps, policy, operator, {
      iccid,
      releaseFlag: fixture.released,
      ...(fixture.matchingId === undefined ? {} : { matchingId: fixture.matchingId }),
      ...(fixture.confirmationCode === undefined ? {} : { confirmationCode: fixture.confirmationCode }),
    });
    const order = await tx.getOpenOrderByIccid(iccid);
    if (order === undefined) throw new Error(`order for ${iccid} vanished while provisioning`);
    await tx.updateOrder(order.orderId, {
      ...(fixture.expiresAt === undefined ? {} : { expiresAt: Date.parse(fixture.expiresAt) }),
      ...(fixture.deviceConstraints === undefined ? {} : { deviceConstraints: fixture.deviceConstraints }),
      ...(fixture.reusable === true ? { reusable: true } : {}),
      ...(fixture.profilePolicyRules === undefined ? {} : { profilePolicyRules: fixture.profilePolicyRules }),
    });
    // The counters only grow (repository.ts), so a preset count is that many increments of a new order.
    for (let n = 0; n < (fixture.downloadAttempts ?? 0); n += 1) await tx.incrementDownloadAttempts(order.orderId);
    for (let n = 0; n < (fixture.confirmationCodeAttempts ?? 0); n += 1) await tx.incrementConfirmationCodeAttempts(order.orderId);
    created.push({ iccid, matchingId: confirmed.matchingId, ...(confirmed.eid === undefined ? {} : { eid: confirmed.eid }) });
  }
  return created;
}

/** Returns a test instance to its fixtures: every order and outbox entry is dropped, all profiles are Available again. */
export async function resetToFixtures(
  deps: CoreDeps & { repository: TestInstanceStore },
  policy: OrderPolicy,
  operators: readonly OperatorIdentity[],
  fixtures: Fixtures | undefined,
): Promise<ProvisionedOrder[]> {
  await deps.repository.resetOrders(deps.clock.now());
  return fixtures === undefined ? [] : provision(deps, policy, operators, fixtures);
}
