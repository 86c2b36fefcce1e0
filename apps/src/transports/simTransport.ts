// `--euicc sim:STATEFILE`: the software eUICC (euicc-sim) in this process, on its SQLite state file. A card
// has one owner at a time: a lock file next to the state (`STATEFILE.lock`, holding the owner's PID) keeps
// a second process (or the running `npm start` stack) from working on a stale copy of the same card.
// `--card-log` sends the card's own log to a file or stderr.
import { createEuicc, openSqliteStore, systemEuiccDeps, type EuiccCard } from '@zkesim/euicc-sim';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino } from 'pino';
import { silentLogger, type Logger } from '@zkesim/protocol';
import { TransportError, type CardSession, type ExtraTransports } from '@zkesim/lpa-core';
import { acquireLock } from './stateLock.js';

/** Options of the `sim:` transport. */
export interface SimTransportOptions {
  /** Where the card's own log goes: a file (appended, created 0600) or `-` for stderr; default nowhere. */
  readonly cardLog?: string;
}

/**
 * The card's logger for `cardLog`: what the eUICC itself reports (why it refused a server certificate or
 * aborted an installation) is otherwise invisible to the LPA, which only sees the numbers of the answer.
 */
function cardLogger(cardLog: string | undefined): { logger: Logger; close: () => void } {
  if (cardLog === undefined) return { logger: silentLogger, close: () => undefined };
  if (cardLog !== '-') mkdirSync(dirname(cardLog), { recursive: true, mode: 0o700 });
  // Synchronous writes: a CLI process ends right after its command, with nothing left in a buffer.
  const destination = pino.destination(cardLog === '-' ? { fd: 2, sync: true } : { dest: cardLog, append: true, sync: true, mode: 0o600 });
  return { logger: pino({ level: 'debug', base: { role: 'euicc-sim' } }, destination), close: () => (cardLog === '-' ? undefined : destination.end()) };
}

export function openSimCard(stateFile: string, options: SimTransportOptions = {}): { card: EuiccCard; close: () => void } {
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
    const log = cardLogger(options.cardLog);
    const card = createEuicc({ state, deps: systemEuiccDeps(store, log.logger) });
    return {
      card,
      close: () => {
        store.close();
        log.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export function openSimTransport(stateFile: string, options: SimTransportOptions = {}): CardSession {
  const { card, close } = openSimCard(stateFile, options);
  return { transport: card, close: async () => close() };
}

/** The schemes the `zkesim` command adds to the LPA library's transports. */
export function appTransports(options: SimTransportOptions = {}): ExtraTransports {
  return { sim: { usage: 'sim:STATEFILE', open: (stateFile) => openSimTransport(stateFile, options) } };
}
