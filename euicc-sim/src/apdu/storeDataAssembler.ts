// GlobalPlatform Card Spec v2.3 §11.11 STORE DATA, as used for ES10 by SGP.22 §5.7: P1 b8 = last block,
// P2 = block number starting at 00 for each ES10 command (and for each BPP piece, SGP.22 §5.7.6).
import { ApduError, STORE_DATA_LAST_BLOCK, STORE_DATA_P1_MORE, StatusWord, concatBytes, hexByte } from '@zkesim/protocol';

/**
 * P1 values accepted without the last-block bit. SGP.22 §5.7 prescribes '11' / '91' (BER-TLV, no encryption
 * information); lpac and Android send exactly these.
 * SPEC-AMBIGUITY: a P1 with other structure bits (e.g. '10' / '90', GP "BER-TLV" without b1) carries the same
 * data; we accept b5 set with or without b1 and reject every other coding with 6A86.
 */
const ACCEPTED_P1_LOW = new Set([0x10, STORE_DATA_P1_MORE]);

export interface StoreDataBlock {
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
}

/** Reassembles the blocks of one STORE DATA sequence on one logical channel. */
export class StoreDataAssembler {
  private blocks: Uint8Array[] = [];
  private length = 0;
  private nextBlockNumber = 0;

  constructor(private readonly maxLength: number) {}

  get inProgress(): boolean {
    return this.nextBlockNumber > 0;
  }

  /**
   * Adds one block. Returns the complete command data after the last block, undefined while more blocks are
   * expected. A wrong block number or P1 aborts the sequence (the next block must start again at 00).
   */
  add(block: StoreDataBlock): Uint8Array | undefined {
    if (!ACCEPTED_P1_LOW.has(block.p1 & ~STORE_DATA_LAST_BLOCK)) {
      this.clear();
      throw new ApduError(StatusWord.incorrectP1P2, `STORE DATA P1 ${hexByte(block.p1)} is not a BER-TLV block coding`);
    }
    if (block.p2 !== this.nextBlockNumber) {
      const expected = this.nextBlockNumber;
      this.clear();
      throw new ApduError(StatusWord.incorrectP1P2, `STORE DATA block number ${block.p2} out of sequence, expected ${expected}`);
    }
    if (block.data.length === 0) {
      this.clear();
      throw new ApduError(StatusWord.wrongLength, 'STORE DATA without command data');
    }
    if (this.length + block.data.length > this.maxLength) {
      this.clear();
      throw new ApduError(StatusWord.notEnoughMemory, `STORE DATA sequence longer than ${this.maxLength} bytes`);
    }
    this.blocks.push(block.data);
    this.length += block.data.length;
    this.nextBlockNumber = (this.nextBlockNumber + 1) & 0xff;
    if ((block.p1 & STORE_DATA_LAST_BLOCK) === 0) return undefined;
    const whole = concatBytes(this.blocks);
    this.clear();
    return whole;
  }

  clear(): void {
    this.blocks = [];
    this.length = 0;
    this.nextBlockNumber = 0;
  }
}
