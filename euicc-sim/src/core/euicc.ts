// The ISD-R application: routes each complete ES10 command (one STORE DATA sequence, SGP.22 §5.7) to the
// handler of its first tag, and owns the persistent state and the volatile RSP session.
import { ApduError, StatusWord } from '@zkesim/protocol';
import type { StoreDataApplication } from '../apdu/isoCard.js';
import type { Deps } from './deps.js';
import { RspSession } from './session.js';
import type { EuiccState } from './state.js';
import { readTlvHeader, TlvHeaderError } from './berHeader.js';

export interface Es10Context {
  /** The committed state; handlers never change it in place. */
  readonly state: EuiccState;
  readonly session: RspSession;
  readonly deps: Deps;
  /** Stores `next` (one atomic write) and makes it the current state; throws if the store fails. */
  commit(next: EuiccState): void;
}

/** One ES10 function: its request bytes (a complete TLV, or a BPP piece) in, its response TLV out. */
export type Es10Handler = (request: Uint8Array, context: Es10Context) => Uint8Array;

export class Euicc implements StoreDataApplication {
  readonly session = new RspSession();
  private current: EuiccState;

  /**
   * @param onReset runs before a card reset drops the session, with the context of the dropped session
   * (the BPP loader records an interrupted installation there).
   */
  constructor(
    state: EuiccState,
    private readonly deps: Deps,
    private readonly handlers: ReadonlyMap<number, Es10Handler>,
    private readonly onReset: (context: Es10Context) => void = () => undefined,
  ) {
    this.current = state;
  }

  get state(): EuiccState {
    return this.current;
  }

  processStoreData(command: Uint8Array): Uint8Array {
    const tag = leadingTag(command);
    const handler = this.handlers.get(tag);
    if (handler === undefined) {
      throw new ApduError(StatusWord.referencedDataNotFound, `no ES10 function for tag ${tag.toString(16).toUpperCase()}`);
    }
    return handler(command, this.context());
  }

  /** Card reset: the RSP session is volatile (SGP.22 §5.7: session context is lost on reset). */
  reset(): void {
    this.onReset(this.context());
    this.session.clear();
  }

  private context(): Es10Context {
    return {
      state: this.current,
      session: this.session,
      deps: this.deps,
      commit: (next) => {
        this.deps.store.save(next);
        this.current = next;
      },
    };
  }
}

/** The BER tag at the start of `bytes`, e.g. 0xBF2E; some BPP pieces are only a tag and length. */
function leadingTag(bytes: Uint8Array): number {
  try {
    return readTlvHeader(bytes).tag;
  } catch (error) {
    if (error instanceof TlvHeaderError) throw new ApduError(StatusWord.wrongData, `ES10 command: ${error.message}`, { cause: error });
    throw error;
  }
}
