// The small interface between everything that speaks APDUs (the LPA, test clients) and everything that
// carries them (in-process card, TCP hex lines, PC/SC, lpac's stdio).

/** Anything that carries C-APDUs to a card and returns R-APDUs (response data followed by SW1 SW2). */
export interface ApduTransport {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

/** SGP.22 §2.2.3: the AID of the ISD-R, the application every ES10 command is sent to. */
export const ISD_R_AID: Uint8Array = Uint8Array.of(0xa0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xff, 0xff, 0xff, 0xff, 0x89, 0x00, 0x00, 0x01, 0x00);
