// LPA-side ES10 transport for tests: STORE DATA framing as lpac does it (120-byte
// blocks, P1 11/91, GET RESPONSE on 61xx), over the software eUICC's in-process card.
import type { ApduTransport } from '@zkesim/euicc-sim';

const isdRAid = Uint8Array.from(Buffer.from('A0000005591010FFFFFFFF8900000100', 'hex'));

export class Es10Channel {
  private constructor(
    private readonly card: ApduTransport,
    private readonly channel: number,
  ) {}

  static async open(card: ApduTransport): Promise<Es10Channel> {
    const opened = await card.transmit(Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01));
    const channel = opened[0] ?? 0;
    const selected = await card.transmit(Uint8Array.from([channel, 0xa4, 0x04, 0x00, isdRAid.length, ...isdRAid]));
    if (selected[selected.length - 2] !== 0x90 && selected[selected.length - 2] !== 0x61) throw new Error('SELECT ISD-R failed');
    return new Es10Channel(card, channel);
  }

  async send(command: Uint8Array): Promise<Uint8Array> {
    const blocks = Math.max(1, Math.ceil(command.length / 120));
    let response: Uint8Array = new Uint8Array(0);
    for (let index = 0; index < blocks; index += 1) {
      const data = command.subarray(index * 120, (index + 1) * 120);
      const last = index === blocks - 1;
      response = await this.card.transmit(Uint8Array.from([0x80 | this.channel, 0xe2, last ? 0x91 : 0x11, index, data.length, ...data]));
      if (!last && !(response[0] === 0x90 && response[1] === 0x00)) throw new Error(`STORE DATA block ${index} failed`);
    }
    const parts: number[] = [];
    for (;;) {
      const sw1 = response[response.length - 2] ?? 0;
      const sw2 = response[response.length - 1] ?? 0;
      parts.push(...response.subarray(0, response.length - 2));
      if (sw1 === 0x61) {
        response = await this.card.transmit(Uint8Array.of(0x80 | this.channel, 0xc0, 0x00, 0x00, sw2));
        continue;
      }
      if ((sw1 & 0xf0) !== 0x90) throw new Error(`card answered SW ${sw1.toString(16)}${sw2.toString(16)}`);
      return Uint8Array.from(parts);
    }
  }
}
