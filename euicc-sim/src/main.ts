// Production wiring of the software eUICC: the system's clock, randomness and one-time keys
// (systemEuiccDeps), the SQLite state file, and a JSON logger on stderr (stdout belongs to the stdio transports).
import { bytesEqual, eidToBytes, type Logger } from '@zkesim/protocol';
import pino from 'pino';
import { openSqliteStore, type SqliteEuiccStore } from './adapters/sqliteStore.js';
import { createEuicc, type EuiccCard } from './createEuicc.js';
import { systemEuiccDeps } from './systemDeps.js';

export function stderrLogger(level: string = 'info'): Logger {
  return pino({ level, base: { role: 'euicc-sim' } }, pino.destination(2));
}

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

/** Picks the eUICC of `eid` in the store, or the only one when no EID is given. */
export function selectEid(store: SqliteEuiccStore, eid: string | undefined): Uint8Array {
  const eids = store.listEids();
  if (eid !== undefined) {
    const wanted = eidToBytes(eid);
    if (!eids.some((candidate) => bytesEqual(candidate, wanted))) throw new StateFileError(`no eUICC with EID ${eid} in the state file`);
    return wanted;
  }
  const [only, ...others] = eids;
  if (only === undefined) throw new StateFileError('the state file holds no eUICC; run `zkesim euicc create` first');
  if (others.length > 0) throw new StateFileError(`the state file holds ${eids.length} eUICCs; choose one with --eid`);
  return only;
}

export interface OpenedEuicc {
  readonly card: EuiccCard;
  readonly store: SqliteEuiccStore;
}

export function openEuicc(statePath: string, eid: string | undefined, logger: Logger): OpenedEuicc {
  const store = openSqliteStore(statePath);
  try {
    const state = store.load(selectEid(store, eid));
    if (state === undefined) throw new StateFileError('the selected eUICC disappeared from the state file');
    return { card: createEuicc({ state, deps: systemEuiccDeps(store, logger) }), store };
  } catch (error) {
    store.close();
    throw error;
  }
}
