// A minimal LPA-side APDU client for tests, framing exactly as lpac 2.3.0 does: MANAGE CHANNEL
// open, SELECT ISD-R without Le, STORE DATA blocks of 120 bytes with P1 11/91 and no Le, GET RESPONSE on 61xx.
import type { ApduTransport } from '@zkesim/euicc-sim';

const ISD_R_AID = Uint8Array.from(Buffer.from('A0000005591010FFFFFFFF8900000100', 'hex'));
const BLOCK_SIZE = 120;

export class Es10Client {
  private constructor(
    private readonly transport: ApduTransport,
    readonly channel: number,
  ) {}

  static async open(transport: ApduTransport, aid: Uint8Array = ISD_R_AID): Promise<Es10Client> {
    const opened = await transport.transmit(Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01));
    if (opened.length !== 3 || opened[1] !== 0x90) throw new Error(`MANAGE CHANNEL failed: ${hex(opened)}`);
    const channel = opened[0] ?? 0;
    const selected = await transport.transmit(Uint8Array.from([channel, 0xa4, 0x04, 0x00, aid.length, ...aid]));
    const sw1 = selected[selected.length - 2];
    if (sw1 !== 0x90 && sw1 !== 0x61) throw new Error(`SELECT failed: ${hex(selected)}`);
    return new Es10Client(transport, channel);
  }

  /** Sends one ES10 command (or BPP piece) as a STORE DATA sequence and returns the response data. */
  async send(command: Uint8Array): Promise<Uint8Array> {
    const blocks = Math.max(1, Math.ceil(command.length / BLOCK_SIZE));
    let response: Uint8Array = new Uint8Array(0);
    for (let index = 0; index < blocks; index++) {
      const data = command.subarray(index * BLOCK_SIZE, (index + 1) * BLOCK_SIZE);
      const last = index === blocks - 1;
      const apdu = Uint8Array.from([0x80 | this.channel, 0xe2, last ? 0x91 : 0x11, index, data.length, ...data]);
      response = await this.transport.transmit(apdu);
      if (!last) expectSw(response, 0x9000);
    }
    return this.collect(response);
  }

  /** Like send() but returns the final status word instead of throwing (for error-path tests). */
  async sendRaw(command: Uint8Array): Promise<{ data: Uint8Array; sw: number }> {
    try {
      return { data: await this.send(command), sw: 0x9000 };
    } catch (error) {
      if (error instanceof StatusWordError) return { data: new Uint8Array(0), sw: error.sw };
      throw error;
    }
  }

  private async collect(first: Uint8Array): Promise<Uint8Array> {
    const parts: number[] = [];
    let response = first;
    for (;;) {
      const sw1 = response[response.length - 2] ?? 0;
      const sw2 = response[response.length - 1] ?? 0;
      parts.push(...response.subarray(0, response.length - 2));
      if (sw1 === 0x61) {
        response = await this.transport.transmit(Uint8Array.of(0x80 | this.channel, 0xc0, 0x00, 0x00, sw2));
        continue;
      }
      if ((sw1 & 0xf0) === 0x90) return Uint8Array.from(parts);
      throw new StatusWordError((sw1 << 8) | sw2);
    }
  }
}

export class StatusWordError extends Error {
  constructor(readonly sw: number) {
    super(`card answered SW ${sw.toString(16).toUpperCase()}`);
  }
}

function expectSw(response: Uint8Array, sw: number): void {
  const got = ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
  if (got !== sw) throw new StatusWordError(got);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
