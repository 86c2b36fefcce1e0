// The operator component's plans service as `npm start` runs it: the store under <data>/operator/plans.db, the
// TLS credential from the development CI, the HTTPS listener.
import { join } from 'node:path';
import { stackPaths } from '@zkesim/config';
import type { PkiEntity } from '@zkesim/pki';
import { ensureOperatorServerTls } from '../serverTls.js';
import { openPlansStore, type PlansStore } from './plansStore.js';
import { startPlansApi, type RunningPlansApi } from './plansServer.js';

export interface OperatorPlans extends RunningPlansApi {
  readonly store: PlansStore;
}

/** The plan `npm start` gives the demo subscriber. */
export const DEMO_SUBSCRIBER_PLAN = 'everyday';

export async function startOperatorPlans(dataDir: string, ci: PkiEntity, port: number): Promise<OperatorPlans> {
  const operatorDir = stackPaths(dataDir).operator;
  const tls = ensureOperatorServerTls(operatorDir, ci);
  const store = openPlansStore(join(operatorDir, 'plans.db'));
  try {
    const api = await startPlansApi({ store, tls, port, operatorDir });
    return {
      ...api,
      store,
      close: async () => {
        await api.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
