// The APDU side of ES10 (SGP.22 v2.2.2 §5.7): a logical channel to the ISD-R, each
// ES10 command sent as one STORE DATA sequence (GlobalPlatform 11.11: blocks of at most 120 bytes as lpac
// sends them, P1 '11' for more blocks and '91' for the last, P2 the block number) and the response
// collected with GET RESPONSE while the card answers 61xx.
import { CardStatusError } from '../errors.js';

/** Anything that carries C-APDUs to a card and returns R-APDUs (data ‖ SW1 SW2). */
export interface ApduTransport {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

/** SGP.22 §2.2.3: the ISD-R's AID. */
export const ISD_R_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xff, 0xff, 0xff, 0xff, 0x89, 0x00, 0x00, 0x01, 0x00]);
/** Largest STORE DATA block lpac sends; every eUICC in the field accepts it (short APDU, no extended length). */
export const STORE_DATA_BLOCK_SIZE = 120;

const SW_OK = 0x9000;

function statusWord(response: Uint8Array): number {
  return ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
}

export class Es10Channel {
  private closed = false;

  private constructor(
    private readonly transport: ApduTransport,
    readonly channel: number,
  ) {}

  /** MANAGE CHANNEL (open) and SELECT the ISD-R on the new logical channel (ISO 7816-4 §11.1.2). */
  static async open(transport: ApduTransport, isdRAid: Uint8Array = ISD_R_AID): Promise<Es10Channel> {
    const opened = await transport.transmit(Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01));
    if (opened.length !== 3 || statusWord(opened) !== SW_OK) throw new CardStatusError(statusWord(opened), 'MANAGE CHANNEL open');
    const channel = opened[0] ?? 0;
    const cla = channel < 4 ? channel : 0x40 | (channel - 4);
    const selected = await transport.transmit(Uint8Array.from([cla, 0xa4, 0x04, 0x00, isdRAid.length, ...isdRAid]));
    const sw = statusWord(selected);
    if (sw !== SW_OK && sw >> 8 !== 0x61) {
      await transport.transmit(Uint8Array.of(0x00, 0x70, 0x80, channel, 0x00));
      throw new CardStatusError(sw, 'SELECT ISD-R');
    }
    return new Es10Channel(transport, channel);
  }

  /** The CLA byte for a proprietary (GlobalPlatform) command on this channel. */
  private get cla(): number {
    return this.channel < 4 ? 0x80 | this.channel : 0xc0 | (this.channel - 4);
  }

  /** Sends one ES10 command (or one BPP piece) as a STORE DATA sequence and returns the response data. */
  async send(command: Uint8Array, context = 'STORE DATA'): Promise<Uint8Array> {
    if (this.closed) throw new CardStatusError(0, `${context} on a closed channel`);
    const blocks = Math.max(1, Math.ceil(command.length / STORE_DATA_BLOCK_SIZE));
    if (blocks > 256) throw new CardStatusError(0x6700, `${context}: ${command.length} bytes need more than 256 blocks`);
    let response: Uint8Array = new Uint8Array(0);
    for (let index = 0; index < blocks; index += 1) {
      const data = command.subarray(index * STORE_DATA_BLOCK_SIZE, (index + 1) * STORE_DATA_BLOCK_SIZE);
      const last = index === blocks - 1;
      response = await this.transport.transmit(Uint8Array.from([this.cla, 0xe2, last ? 0x91 : 0x11, index, data.length, ...data]));
      if (!last && statusWord(response) !== SW_OK) throw new CardStatusError(statusWord(response), `${context} block ${index}`);
    }
    return this.collect(response, context);
  }

  private async collect(first: Uint8Array, context: string): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let response = first;
    for (;;) {
      const sw = statusWord(response);
      parts.push(response.subarray(0, response.length - 2));
      if (sw >> 8 === 0x61) {
        response = await this.transport.transmit(Uint8Array.of(this.cla, 0xc0, 0x00, 0x00, sw & 0xff));
        continue;
      }
      if (sw !== SW_OK) throw new CardStatusError(sw, context);
      return Uint8Array.from(Buffer.concat(parts));
    }
  }

  /** MANAGE CHANNEL (close). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const response = await this.transport.transmit(Uint8Array.of(0x00, 0x70, 0x80, this.channel, 0x00));
    if (statusWord(response) !== SW_OK) throw new CardStatusError(statusWord(response), 'MANAGE CHANNEL close');
  }
}
