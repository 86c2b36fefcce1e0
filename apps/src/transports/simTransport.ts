// `--euicc sim:STATEFILE`: the software eUICC (euicc-sim) in this process, on its SQLite state file. A card
// has one owner at a time: a lock file next to the state (`STATEFILE.lock`, holding the owner's PID) keeps
// a second process (or the running `npm start` stack) from working on a stale copy of the same card.
import { createEuicc, openSqliteStore, systemEuiccDeps, type EuiccCard } from '@zkesim/euicc-sim';
import { existsSync } from 'node:fs';
import { TransportError, type CardSession, type ExtraTransports } from '@zkesim/lpa-core';
import { acquireLock } from './stateLock.js';

export function openSimCard(stateFile: string): { card: EuiccCard; close: () => void } {
  if (!existsSync(stateFile)) throw new TransportError(`sim:${stateFile}: no such eUICC state file (create one with \`npx zkesim start\` or the euicc-sim tools)`);
  const lock = acquireLock(`${stateFile}.lock`);
  try {
    const store = openSqliteStore(stateFile);
    const [eid, ...others] = store.listEids();
    const state = eid === undefined ? undefined : store.load(eid);
    if (state === undefined || others.length > 0) {
      store.close();
      throw new TransportError(`sim:${stateFile}: expected exactly one eUICC in the state file, found ${others.length + (eid === undefined ? 0 : 1)}`);
    }
    const card = createEuicc({ state, deps: systemEuiccDeps(store) });
    return {
      card,
      close: () => {
        store.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export function openSimTransport(stateFile: string): CardSession {
  const { card, close } = openSimCard(stateFile);
  return { transport: card, close: async () => close() };
}

/** The schemes the `zkesim` command adds to the LPA library's transports. */
export const appTransports: ExtraTransports = {
  sim: { usage: 'sim:STATEFILE', open: openSimTransport },
};
