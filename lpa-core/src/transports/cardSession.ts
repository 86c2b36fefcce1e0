// An open card: the APDU transport to it and how to let it go. Every transport returns one; openTransport.ts
// chooses among them.
import type { ApduTransport } from '@zkesim/protocol';

export interface CardSession {
  readonly transport: ApduTransport;
  close(): Promise<void>;
}
