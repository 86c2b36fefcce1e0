// The LPA side of ES10 over APDUs (SGP.22 §5.7.2): what the channel sends beyond the common path that
// lpa-core's es10Channel.test.ts covers (logical channels above 3, 6100 = 256 bytes waiting, limits).
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.js';
import { CardStatusError, Es10Channel } from './es10Channel.js';
import { STORE_DATA_BLOCK_SIZE, STORE_DATA_MAX_BLOCKS } from './storeData.js';
import type { ApduTransport } from './transport.js';

/** A card that opens logical channel `channel`, selects anything, and answers STORE DATA with `answer`. */
function card(channel: number, answer: (apdu: Uint8Array) => Uint8Array): ApduTransport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    transmit: async (apdu) => {
      sent.push(toHex(apdu, 'upper'));
      if (apdu[1] === 0x70) return apdu[2] === 0x00 ? Uint8Array.of(channel, 0x90, 0x00) : Uint8Array.of(0x90, 0x00);
      if (apdu[1] === 0xa4) return Uint8Array.of(0x61, 0x12);
      return answer(apdu);
    },
  };
}

describe('Es10Channel', () => {
  it('codes the CLA of logical channels 4-19 in the further interindustry range (ISO 7816-4 §5.4.1)', async () => {
    const transport = card(5, () => Uint8Array.of(0x90, 0x00));
    const es10 = await Es10Channel.open(transport);
    await es10.send(Uint8Array.of(0xbf, 0x2e, 0x00));
    await es10.close();
    expect(transport.sent.map((apdu) => apdu.slice(0, 10))).toEqual(['0070000001', '41A4040010', 'C1E2910003', '0070800500']);
  });

  it('asks for 256 bytes (Le 00) when the card answers 6100', async () => {
    const transport = card(1, (apdu) => (apdu[1] === 0xc0 ? Uint8Array.of(0xaa, 0x90, 0x00) : Uint8Array.of(0x61, 0x00)));
    const es10 = await Es10Channel.open(transport);
    expect(await es10.send(Uint8Array.of(0xbf, 0x2e, 0x00))).toEqual(Uint8Array.of(0xaa));
    expect(transport.sent.at(-1)).toBe('81C0000000');
  });

  it('refuses to send on a closed channel or more than 256 STORE DATA blocks', async () => {
    const es10 = await Es10Channel.open(card(1, () => Uint8Array.of(0x90, 0x00)));
    const tooLong = new Uint8Array(STORE_DATA_MAX_BLOCKS * STORE_DATA_BLOCK_SIZE + 1);
    await expect(es10.send(tooLong, 'LoadBoundProfilePackage')).rejects.toThrow(/LoadBoundProfilePackage: .* more than 256 blocks: card answered SW 6700/);
    await es10.close();
    const closed = await es10.send(Uint8Array.of(0xbf, 0x2e, 0x00)).catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(CardStatusError);
    expect((closed as CardStatusError).statusWord).toBe(0);
  });

  it('fails when MANAGE CHANNEL does not answer a channel number with 9000', async () => {
    const transport: ApduTransport = { transmit: async () => Uint8Array.of(0x6a, 0x81) };
    await expect(Es10Channel.open(transport)).rejects.toThrow('MANAGE CHANNEL open: card answered SW 6A81');
  });
});
