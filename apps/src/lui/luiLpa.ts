// The LUI's way to the card: one LPA session per operation, opened on the eUICC the LUI was started with and
// closed after, as `zkesim lpa` commands do; operations run one at a time (a card serves one ES10 session, and
// two browser tabs must not interleave APDUs).
import type { Lpa } from '@zkesim/lpa-core';
import type { LpaSettings } from '../cli/lpaSettings.js';
import { withLpaSession, type LpaCallbacks } from '../cli/lpaSession.js';

export type { LpaCallbacks };

export class CardAccess {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly settings: LpaSettings) {}

  /** Runs `body` with an open LPA once every earlier operation has finished. */
  run<T>(body: (lpa: Lpa) => Promise<T>, callbacks: LpaCallbacks = {}): Promise<T> {
    const next = this.queue.then(() => withLpaSession(this.settings, callbacks, body));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
