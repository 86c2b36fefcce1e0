// The small interface every transport adapter and the LPA use to talk to a card.

export interface ApduTransport {
  /** Sends one C-APDU and resolves with the R-APDU (response data followed by SW1 SW2). */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

/** A card as a reader sees it: an ATR, a reset, and APDUs. */
export interface CardConnection extends ApduTransport {
  readonly atr: Uint8Array;
  /** Power-on, power-off or warm reset: closes logical channels and drops the volatile RSP session. */
  reset(): void;
}
