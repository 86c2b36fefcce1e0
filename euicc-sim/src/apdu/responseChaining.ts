// ISO/IEC 7816-4 §5.3.4 / §7.6.1: response data longer than the command's Le (or any data for a command
// without Le, as T=0 cards do) is announced with 61xx and fetched with GET RESPONSE (INS C0).
import { StatusWord, withStatusWord } from '@zkesim/protocol';

const MAX_SHORT_RESPONSE = 256;

/** Holds the undelivered part of the last response on one logical channel. */
export class PendingResponse {
  private remaining: Uint8Array = new Uint8Array(0);

  get hasData(): boolean {
    return this.remaining.length > 0;
  }

  clear(): void {
    this.remaining = new Uint8Array(0);
  }

  /**
   * Starts delivering `data`. With an Le the first min(Le, 256) bytes go out now; without Le nothing goes
   * out and the card answers 61xx, so every long or case-3 response goes through GET RESPONSE.
   */
  start(data: Uint8Array, le: number | undefined): Uint8Array {
    this.remaining = data;
    if (data.length === 0) return withStatusWord(data, StatusWord.ok);
    if (le === undefined) return withStatusWord(new Uint8Array(0), this.announce());
    return this.next(le);
  }

  /** Answers a GET RESPONSE with Le bytes (0 = 256 in short form, already normalised by the parser). */
  next(le: number): Uint8Array {
    const count = Math.min(le, MAX_SHORT_RESPONSE, this.remaining.length);
    const chunk = this.remaining.subarray(0, count);
    this.remaining = this.remaining.subarray(count);
    return withStatusWord(chunk, this.remaining.length > 0 ? this.announce() : StatusWord.ok);
  }

  private announce(): number {
    return StatusWord.moreDataBase | (Math.min(this.remaining.length, MAX_SHORT_RESPONSE) & 0xff);
  }
}
