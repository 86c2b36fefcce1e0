// ES10c result codes as the LPA reports them: a card's DER answer goes through the real Es10Channel (STORE
// DATA framing) and the real ES10c client, and the Es10ResultError names the code from the ASN.1 module.
import { describe, expect, it } from 'vitest';
import { Es10ResultError } from '../errors.js';
import { Es10Channel, type ApduTransport } from './es10Channel.js';
import { disableProfile, enableProfile } from './es10c.js';

const ICCID = Uint8Array.from(Buffer.from('89000123456789012341', 'hex'));

/** A card that opens channel 1, selects the ISD-R and answers every STORE DATA with `answer` ‖ 9000. */
function cardAnswering(answerHex: string): ApduTransport {
  const answer = Buffer.from(answerHex, 'hex');
  return {
    async transmit(apdu) {
      if (apdu[1] === 0x70) return apdu[2] === 0x00 ? Uint8Array.of(0x01, 0x90, 0x00) : Uint8Array.of(0x90, 0x00);
      if (apdu[1] === 0xa4) return Uint8Array.of(0x90, 0x00);
      return Uint8Array.from([...answer, 0x90, 0x00]);
    },
  };
}

async function refusal(run: (channel: Es10Channel) => Promise<void>, answerHex: string): Promise<Es10ResultError> {
  const channel = await Es10Channel.open(cardAnswering(answerHex));
  const error = await run(channel).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(Es10ResultError);
  return error as Es10ResultError;
}

describe('ES10c result codes', () => {
  it('reports EnableProfile wrongProfileReenabling(4) by its name', async () => {
    // EnableProfileResponse BF31 { enableResult [0] 4 } (SGP.22 §5.7.16).
    const error = await refusal((channel) => enableProfile(channel, { iccid: ICCID }, true), 'BF3103800104');
    expect(error.resultCode).toBe(4);
    expect(error.resultName).toBe('wrongProfileReenabling');
    expect(error.message).toBe('EnableProfile failed on the eUICC: wrongProfileReenabling (4)');
  });

  it('reports a number the module does not name as an unknown result', async () => {
    // DisableProfileResponse BF32 { disableResult [0] 4 }: v2.2.2 names 0-3 and 127 only.
    const error = await refusal((channel) => disableProfile(channel, { iccid: ICCID }, false), 'BF3203800104');
    expect(error.resultCode).toBe(4);
    expect(error.resultName).toBe('unknown result');
  });
});
