// The answer-to-reset of the emulated card (ISO/IEC 7816-3 §8.2). TS = 3B (direct convention), T0 = 02 (no
// interface bytes, so T=0 is implied; lpac's PC/SC driver connects with SCARD_PROTOCOL_T0 only), two
// historical bytes. `3B 02 14 50` was tried and works with pcscd + vpcd + lpac.
export const DEFAULT_ATR: Uint8Array = Uint8Array.of(0x3b, 0x02, 0x14, 0x50);
