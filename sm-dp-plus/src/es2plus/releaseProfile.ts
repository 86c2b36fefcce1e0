// ES2+.ReleaseProfile (SGP.22 v2.2.2 §5.3.4): a Confirmed profile becomes downloadable (Released).
import type { CoreDeps } from '../core/deps.js';
import type { OperatorIdentity } from './operator.js';
import { openOrderFor, transitionOrFail } from './orderLookup.js';

export interface ReleaseProfileInput {
  iccid?: string;
}

export async function releaseProfile(deps: CoreDeps, operator: OperatorIdentity, input: ReleaseProfileInput): Promise<void> {
  const now = deps.clock.now();
  const iccid = await deps.repository.transaction(async (tx) => {
    const { profile, order } = await openOrderFor(tx, operator, input.iccid);
    await transitionOrFail(tx, profile, 'releaseProfile', now);
    await tx.updateOrder(order.orderId, { releaseFlag: true });
    return profile.iccid;
  });
  deps.logger.info({ function: 'releaseProfile', iccid }, 'profile released');
}
