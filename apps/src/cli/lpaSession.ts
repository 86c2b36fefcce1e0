// One LPA session on the configured eUICC: opens the card and the Lpa with the settings' HTTPS trust, device and
// BPP store, runs `body`, and always closes both. Every `zkesim lpa` command and every LUI operation goes
// through here.
import { Lpa, fileBppStore, openCard, type DownloadStep, type LpaInteraction } from '@zkesim/lpa-core';
import { appTransports } from '../transports/simTransport.js';
import type { LpaSettings } from './lpaSettings.js';

export interface LpaCallbacks {
  readonly progress?: (step: DownloadStep, detail?: string) => void;
  readonly interaction?: LpaInteraction;
}

export async function withLpaSession<T>(settings: LpaSettings, callbacks: LpaCallbacks, body: (lpa: Lpa) => Promise<T>): Promise<T> {
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
