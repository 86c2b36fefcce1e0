// A minimal LPA-side APDU client for tests: protocol's Es10Channel (the framing lpac uses: MANAGE CHANNEL
// open, SELECT ISD-R without Le, STORE DATA blocks of 120 bytes with P1 11/91 and no Le, GET RESPONSE on
// 61xx), plus the status word of a refused command for the error-path tests.
import { CardStatusError, Es10Channel, ISD_R_AID, formatStatusWord, type ApduTransport } from '@zkesim/protocol';

export class Es10Client {
  private constructor(private readonly es10: Es10Channel) {}

  get channel(): number {
    return this.es10.channel;
  }

  static async open(transport: ApduTransport, aid: Uint8Array = ISD_R_AID): Promise<Es10Client> {
    try {
      return new Es10Client(await Es10Channel.open(transport, aid));
    } catch (error) {
      if (error instanceof CardStatusError) throw new Error(`${error.message.startsWith('SELECT') ? 'SELECT' : 'MANAGE CHANNEL'} failed: ${formatStatusWord(error.statusWord)}`, { cause: error });
      throw error;
    }
  }

  /** Sends one ES10 command (or BPP piece) as a STORE DATA sequence and returns the response data. */
  async send(command: Uint8Array): Promise<Uint8Array> {
    return this.es10.send(command);
  }

  /** Like send() but returns the final status word instead of throwing (for error-path tests). */
  async sendRaw(command: Uint8Array): Promise<{ data: Uint8Array; sw: number }> {
    try {
      return { data: await this.es10.send(command), sw: 0x9000 };
    } catch (error) {
      if (error instanceof CardStatusError) return { data: new Uint8Array(0), sw: error.statusWord };
      throw error;
    }
  }
}
