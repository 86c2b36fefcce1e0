// Wires one eUICC: the ISO 7816 card in front of the ISD-R application, with the in-process transport.
import { DEFAULT_ATR } from './apdu/atr.js';
import { IsoCard } from './apdu/isoCard.js';
import type { CardConnection } from './apdu/transport.js';
import type { Deps } from './core/deps.js';
import { Euicc } from './core/euicc.js';
import type { EuiccState } from './core/state.js';
import { es10Handlers } from './es10Handlers.js';
import { recordInterruptedInstallation } from './es10b/loadBoundProfilePackage.js';
import { selectResponse } from './es10a/isdRSelectResponse.js';

/** Room for the largest single STORE DATA sequence: a BPP piece or a LoadCRL request (SGP.22 §5.7). */
const MAX_STORE_DATA_LENGTH = 64 * 1024;
/** Basic channel plus three logical channels, as most eUICCs (ISO 7816-4 minimum for UICCs, TS 102 221). */
const CHANNEL_COUNT = 4;

export interface CreateEuiccOptions {
  readonly state: EuiccState;
  readonly deps: Deps;
  /** Waits `ms` milliseconds; used by the slow-response quirk. Defaults to a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** An eUICC reachable in process: `transmit(apdu)` behaves like a card in a reader. */
export interface EuiccCard extends CardConnection {
  readonly euicc: Euicc;
  readonly state: EuiccState;
}

export function createEuicc(options: CreateEuiccOptions): EuiccCard {
  const euicc = new Euicc(options.state, options.deps, es10Handlers, recordInterruptedInstallation);
  const iso = new IsoCard({
    isdRAid: options.state.quirks.isdRAid,
    selectResponse: selectResponse(options.state),
    channelCount: CHANNEL_COUNT,
    maxStoreDataLength: MAX_STORE_DATA_LENGTH,
    application: euicc,
    onInternalError: (error) => options.deps.logger.error({ err: describe(error) }, 'internal error while processing an APDU'),
  });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    atr: DEFAULT_ATR,
    euicc,
    get state() {
      return euicc.state;
    },
    reset: () => {
      iso.reset();
      euicc.reset();
    },
    transmit: async (apdu) => {
      const response = iso.transmit(apdu);
      const delay = euicc.state.quirks.responseDelayMs;
      if (delay > 0) await sleep(delay);
      return response;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
