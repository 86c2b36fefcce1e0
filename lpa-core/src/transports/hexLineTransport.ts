// APDUs as hex lines over a pair of streams: one C-APDU per line out, one R-APDU per line back. This is the
// protocol of the emulator's TCP server (euicc-sim listenHexLines) and of the PC/SC helper process. A line
// starting with "error:" is the peer reporting a failure for that APDU.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { TransportError } from '../errors.js';
import type { ApduTransport } from '@zkesim/protocol';

export class HexLineTransport implements ApduTransport {
  private readonly waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    input: Readable,
    private readonly output: Writable,
    private readonly name: string,
  ) {
    const lines = createInterface({ input, crlfDelay: Infinity });
    lines.on('line', (line) => this.waiting.shift()?.resolve(line.trim()));
    lines.on('close', () => this.fail(new TransportError(`${name}: connection closed`)));
    input.on('error', (error) => this.fail(new TransportError(`${name}: ${error.message}`)));
    // A stream destroyed without a clean end (socket reset, helper killed) closes without 'end'.
    input.on('close', () => this.fail(new TransportError(`${name}: connection closed`)));
    output.on('error', (error) => this.fail(new TransportError(`${name}: ${error.message}`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }

  /** Reads the next line (the peer's greeting, for helpers that announce themselves). */
  nextLine(): Promise<string> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    // One APDU at a time, as on a card reader.
    const result = this.queue.then(async () => {
      const answer = this.nextLine();
      this.output.write(`${Buffer.from(apdu).toString('hex').toUpperCase()}\n`);
      const line = await answer;
      if (line.startsWith('error')) throw new TransportError(`${this.name}: ${line}`);
      if (!/^(?:[0-9A-Fa-f]{2}){2,}$/.test(line)) throw new TransportError(`${this.name}: answered "${line.slice(0, 80)}", not an R-APDU`);
      return Uint8Array.from(Buffer.from(line, 'hex'));
    });
    // The queue only orders the APDUs; the caller gets this APDU's failure through `result`.
    this.queue = result.catch(() => undefined);
    return result;
  }
}
