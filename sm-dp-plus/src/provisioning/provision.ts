// `zkesim smdp provision` / `reset`: loads fixture orders through the same ES2+ core
// functions an operator would call (DownloadOrder, ConfirmOrder), so every state change goes through
// the transition table; then applies what ES2+ cannot express (expiry, device constraints).
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import type { TestInstanceStore } from '../core/repository.js';
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
  const now = deps.clock.now();
  for (const entry of fixtures.blockedImeis) {
    const imei = imeiDigits(entry.imei, 'blockedImeis.imei');
    await deps.repository.transaction((tx) => tx.blockImei(imei, entry.reason, now));
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
    if (fixture.expiresAt !== undefined || fixture.deviceConstraints !== undefined) {
      await deps.repository.transaction(async (tx) => {
        const order = await tx.getOpenOrderByIccid(iccid);
        if (order === undefined) throw new Error(`order for ${iccid} vanished while provisioning`);
        await tx.updateOrder(order.orderId, {
          ...(fixture.expiresAt === undefined ? {} : { expiresAt: Date.parse(fixture.expiresAt) }),
          ...(fixture.deviceConstraints === undefined ? {} : { deviceConstraints: fixture.deviceConstraints }),
        });
      });
    }
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
