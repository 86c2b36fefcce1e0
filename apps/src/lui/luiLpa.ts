// The LUI's way to the card: one LPA session per operation, opened on the eUICC the LUI was started with and
// closed after, as `zkesim lpa` commands do; operations run one at a time (a card serves one ES10 session, and
// two browser tabs must not interleave APDUs).
import { Lpa, fileBppStore, openCard, type DownloadStep, type LpaInteraction } from '@zkesim/lpa-core';
import { appTransports } from '../transports/simTransport.js';
import type { LpaSettings } from '../cli/lpaSettings.js';

export interface LpaCallbacks {
  readonly progress?: (step: DownloadStep, detail?: string) => void;
  readonly interaction?: LpaInteraction;
}

export class CardAccess {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly settings: LpaSettings) {}

  /** Runs `body` with an open LPA once every earlier operation has finished. */
  run<T>(body: (lpa: Lpa) => Promise<T>, callbacks: LpaCallbacks = {}): Promise<T> {
    const next = this.queue.then(() => this.open(body, callbacks));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async open<T>(body: (lpa: Lpa) => Promise<T>, callbacks: LpaCallbacks): Promise<T> {
    const settings = this.settings;
    const card = await openCard(settings.euicc, appTransports(settings.cardLog === undefined ? {} : { cardLog: settings.cardLog }));
    try {
      const lpa = await Lpa.open({
        transport: card.transport,
        https: settings.https,
        device: settings.device,
        bppStore: fileBppStore(`${settings.stateDir}/downloads`),
        ...(callbacks.interaction === undefined ? {} : { interaction: callbacks.interaction }),
        ...(callbacks.progress === undefined ? {} : { progress: callbacks.progress }),
      });
      try {
        return await body(lpa);
      } finally {
        await lpa.close();
      }
    } finally {
      await card.close();
    }
  }
}
