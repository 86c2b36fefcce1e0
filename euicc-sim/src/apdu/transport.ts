// A card as a reader sees it, for the transport adapters; the APDU interface itself is protocol's.
import type { ApduTransport } from '@zkesim/protocol';

/** A card as a reader sees it: an ATR, a reset, and APDUs. */
export interface CardConnection extends ApduTransport {
  readonly atr: Uint8Array;
  /** Power-on, power-off or warm reset: closes logical channels and drops the volatile RSP session. */
  reset(): void;
}
