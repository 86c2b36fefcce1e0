// ES10 transport framing (SGP.22 v2.2.2 §5.7, GlobalPlatform STORE DATA, as lpac frames it): logical channel
// and ISD-R selection, 120-byte blocks with P1 11/91 and block numbers, GET RESPONSE on 61xx, and status
// words other than 9000 reported as CardStatusError.
import { describe, expect, it } from 'vitest';
import { CardStatusError } from '../errors.js';
import { Es10Channel, ISD_R_AID, type ApduTransport } from '@zkesim/protocol';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

/** A card that records every C-APDU and answers from a script keyed by INS. */
class ScriptedCard implements ApduTransport {
  readonly sent: string[] = [];
  constructor(private readonly answer: (apdu: Uint8Array) => Uint8Array) {}
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.sent.push(hex(apdu));
    return this.answer(apdu);
  }
}

function standardCard(storeData: (apdu: Uint8Array) => Uint8Array): ScriptedCard {
  return new ScriptedCard((apdu) => {
    if (apdu[1] === 0x70) return apdu[2] === 0x00 ? Uint8Array.of(0x01, 0x90, 0x00) : Uint8Array.of(0x90, 0x00);
    if (apdu[1] === 0xa4) return Uint8Array.of(0x90, 0x00);
    return storeData(apdu);
  });
}

describe('Es10Channel', () => {
  it('opens a logical channel, selects the ISD-R on it and closes it', async () => {
    const card = standardCard(() => Uint8Array.of(0x90, 0x00));
    const channel = await Es10Channel.open(card);
    await channel.close();
    expect(card.sent).toEqual(['0070000001', `01A4040010${hex(ISD_R_AID)}`, '0070800100']);
  });

  it('splits a long command into numbered 120-byte blocks and follows 61xx with GET RESPONSE', async () => {
    let gets = 0;
    const card = standardCard((apdu) => {
      if (apdu[1] === 0xc0) {
        gets += 1;
        return gets === 1 ? Uint8Array.of(0xbb, 0x61, 0x01) : Uint8Array.of(0xcc, 0x90, 0x00);
      }
      return apdu[2] === 0x91 ? Uint8Array.of(0xaa, 0x61, 0x01) : Uint8Array.of(0x90, 0x00);
    });
    const channel = await Es10Channel.open(card);
    const response = await channel.send(new Uint8Array(250).fill(0x5a));
    expect(hex(response)).toBe('AABBCC');
    const storeData = card.sent.filter((apdu) => apdu.startsWith('81E2'));
    expect(storeData.map((apdu) => apdu.slice(0, 10))).toEqual(['81E2110078', '81E2110178', '81E291020A']);
    expect(card.sent.filter((apdu) => apdu.startsWith('81C0'))).toEqual(['81C0000001', '81C0000001']);
  });

  it('reports an error status word with the command it answered', async () => {
    const card = standardCard(() => Uint8Array.of(0x6a, 0x80));
    const channel = await Es10Channel.open(card);
    const error = await channel.send(Uint8Array.of(0xbf, 0x2e, 0x00), 'GetEUICCChallenge').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardStatusError);
    expect((error as CardStatusError).statusWord).toBe(0x6a80);
    expect((error as Error).message).toBe('GetEUICCChallenge: card answered SW 6A80');
  });

  it('refuses a card without the ISD-R and closes the channel it opened', async () => {
    const card = new ScriptedCard((apdu) => (apdu[1] === 0x70 ? (apdu[2] === 0 ? Uint8Array.of(0x02, 0x90, 0x00) : Uint8Array.of(0x90, 0x00)) : Uint8Array.of(0x6a, 0x82)));
    await expect(Es10Channel.open(card)).rejects.toThrow(/SELECT ISD-R: card answered SW 6A82/);
    expect(card.sent.at(-1)).toBe('0070800200');
  });
});
