// STORE DATA as the carrier of ES10 (SGP.22 §5.7.2, GlobalPlatform Card Specification §11.11): each ES10
// command (and each piece of a Bound Profile Package) is one sequence of STORE DATA blocks. P1 b8 marks the
// last block, P1 b5-b4 = 01 says "BER-TLV" and b1 "no encryption information"; P2 numbers the blocks from 00.
import { claOfChannel, encodeCommandApdu, Ins } from './commandApdu.js';

/** P1 b8: this is the last block of the sequence. */
export const STORE_DATA_LAST_BLOCK = 0x80;
/** P1 of a block that more blocks follow: BER-TLV data, no encryption information (SGP.22 §5.7.2). */
export const STORE_DATA_P1_MORE = 0x11;
/** P1 of the last block. */
export const STORE_DATA_P1_LAST = STORE_DATA_P1_MORE | STORE_DATA_LAST_BLOCK;
/** P2 is one byte, so one sequence has at most 256 blocks. */
export const STORE_DATA_MAX_BLOCKS = 256;
/**
 * Largest block an LPA sends. 120 bytes is what lpac sends and what every eUICC in the field accepts in a
 * short APDU without extended length; GlobalPlatform allows up to 255.
 */
export const STORE_DATA_BLOCK_SIZE = 120;

/** How many STORE DATA blocks carry `length` bytes (at least one). */
export function storeDataBlockCount(length: number, blockSize = STORE_DATA_BLOCK_SIZE): number {
  return Math.max(1, Math.ceil(length / blockSize));
}

/**
 * The C-APDUs that carry `command` to the ISD-R on `channel`: blocks of at most `blockSize` bytes, without
 * Le (the card answers 61xx and the data comes with GET RESPONSE).
 * @example storeDataCommands(Uint8Array.of(0xbf, 0x2e, 0x00), 1) // [81 E2 91 00 03 BF 2E 00]
 */
export function storeDataCommands(command: Uint8Array, channel: number, blockSize = STORE_DATA_BLOCK_SIZE): Uint8Array[] {
  const count = storeDataBlockCount(command.length, blockSize);
  if (count > STORE_DATA_MAX_BLOCKS) throw new RangeError(`${command.length} bytes need ${count} STORE DATA blocks, more than ${STORE_DATA_MAX_BLOCKS}`);
  const cla = claOfChannel(channel, true);
  return Array.from({ length: count }, (_, index) =>
    encodeCommandApdu({
      cla,
      ins: Ins.storeData,
      p1: index === count - 1 ? STORE_DATA_P1_LAST : STORE_DATA_P1_MORE,
      p2: index,
      data: command.subarray(index * blockSize, (index + 1) * blockSize),
    }),
  );
}
