// ES10c result codes as the LPA reports them: a card's DER answer goes through the LPA's real path (Lpa,
// the ES10 channel's STORE DATA framing, the ES10c client) and the Es10ResultError names the code as the
// ASN.1 module does.
import { describe, expect, it } from 'vitest';
import { Es10ResultError } from '../errors.js';
import { Lpa } from '../lpa.js';

const ICCID = '8900012345678901234';

/** A card that opens logical channel 1, selects the ISD-R and answers every STORE DATA with `answer` ‖ 9000. */
function cardAnswering(answerHex: string) {
  const answer = Buffer.from(answerHex, 'hex');
  return {
    async transmit(apdu: Uint8Array): Promise<Uint8Array> {
      if (apdu[1] === 0x70) return apdu[2] === 0x00 ? Uint8Array.of(0x01, 0x90, 0x00) : Uint8Array.of(0x90, 0x00);
      if (apdu[1] === 0xa4) return Uint8Array.of(0x90, 0x00);
      return Uint8Array.from([...answer, 0x90, 0x00]);
    },
  };
}

async function refusal(answerHex: string, run: (lpa: Lpa) => Promise<unknown>): Promise<Es10ResultError> {
  const lpa = await Lpa.open({ transport: cardAnswering(answerHex), https: { trustedCertificates: [] } });
  const error = await run(lpa).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(Es10ResultError);
  return error as Es10ResultError;
}

describe('ES10c result codes', () => {
  it('reports EnableProfile wrongProfileReenabling(4) by its name', async () => {
    // EnableProfileResponse BF31 { enableResult [0] 4 } (SGP.22 §5.7.16).
    const error = await refusal('BF3103800104', (lpa) => lpa.enableProfile(ICCID));
    expect(error.resultCode).toBe(4);
    expect(error.resultName).toBe('wrongProfileReenabling');
    expect(error.message).toBe('EnableProfile failed on the eUICC: wrongProfileReenabling (4)');
  });

  it('reports a number the module does not name as an unknown result', async () => {
    // DisableProfileResponse BF32 { disableResult [0] 4 }: v2.2.2 names 0-3 and 127 only.
    const error = await refusal('BF3203800104', (lpa) => lpa.disableProfile(ICCID));
    expect(error.resultCode).toBe(4);
    expect(error.resultName).toBe('unknown result');
  });
});
