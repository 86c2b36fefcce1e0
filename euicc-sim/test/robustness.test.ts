// Bad input never crashes the card: random APDUs and random ES10 bodies behind every known tag always get a
// status word or an ES10 error result, and never reach the internal-error path (bounded property tests).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEuicc } from '../src/index.js';
import { es10Handlers } from '../src/es10Handlers.js';
import { Es10Client } from '@zkesim/testing/euicc/apduClient';
import { hex, sgp26EuiccState, testDeps } from '@zkesim/testing/euicc/sgp26Euicc';
import { TestSmdp, ts48Profile } from '@zkesim/testing/euicc/testSmdp';
import { GetEuiccChallengeResponse, ProfileInstallationResult, bppPieces, type Logger } from '@zkesim/protocol';

function cardWithErrorLog(): { card: ReturnType<typeof createEuicc>; internalErrors: string[] } {
  const internalErrors: string[] = [];
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (fields) => void internalErrors.push(JSON.stringify(fields)) };
  const card = createEuicc({ state: sgp26EuiccState(), deps: { ...testDeps(), logger } });
  return { card, internalErrors };
}

function encodeTag(tag: number): number[] {
  return tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
}

describe('robustness against malformed input', () => {
  it('answers every random APDU with a status word', async () => {
    const { card, internalErrors } = cardWithErrorLog();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), async (apdu) => {
        const response = await card.transmit(apdu);
        expect(response.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 500, seed: 5 },
    );
    expect(internalErrors).toEqual([]);
  });

  it('answers random bodies behind every ES10 tag without an internal error', async () => {
    const { card, internalErrors } = cardWithErrorLog();
    const es10 = await Es10Client.open(card);
    const tags = [...es10Handlers.keys()];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...tags), fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.boolean(), async (tag, body, wellFormedLength) => {
        const length = wellFormedLength ? [body.length < 0x80 ? body.length : 0x81, ...(body.length < 0x80 ? [] : [body.length])] : [0x82, 0xff, 0xff];
        const command = Uint8Array.from([...encodeTag(tag), ...length, ...body]);
        const { sw } = await es10.sendRaw(command);
        expect([0x9000, 0x6a80, 0x6a88, 0x6985, 0x6a84]).toContain(sw);
      }),
      { numRuns: 400, seed: 7 },
    );
    expect(internalErrors).toEqual([]);
  });

  it('ends every download with a corrupted BPP piece cleanly: a success or no profile at all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (pieceSeed, offsetSeed, xor) => {
        const { card, internalErrors } = cardWithErrorLog();
        const es10 = await Es10Client.open(card);
        const smdp = new TestSmdp();
        const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
        const prepared = await es10.send(smdp.authenticateClient(await es10.send(smdp.initiateAuthentication(euiccChallenge))));
        const pieces = bppPieces(smdp.boundProfilePackage(prepared, card.state.eid, ts48Profile())).map((piece) => Uint8Array.from(piece));
        const piece = pieces[pieceSeed % pieces.length] ?? new Uint8Array(1);
        const offset = offsetSeed % piece.length;
        piece[offset] = (piece[offset] ?? 0) ^ xor;
        let result: ProfileInstallationResult | undefined;
        for (const each of pieces) {
          const { data, sw } = await es10.sendRaw(each);
          if (sw !== 0x9000) break;
          if (data.length > 0) {
            result = ProfileInstallationResult.decode(data);
            break;
          }
        }
        expect(internalErrors).toEqual([]);
        const succeeded = result !== undefined && 'successResult' in result.profileInstallationResultData.finalResult;
        expect(card.state.profiles).toHaveLength(succeeded ? 1 : 0);
      }),
      { numRuns: 20, seed: 11 },
    );
  });

  it('answers corrupted AuthenticateServer and PrepareDownload requests with an error result or a status word', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (corruptFirst, offsetSeed, xor) => {
        const { card, internalErrors } = cardWithErrorLog();
        const es10 = await Es10Client.open(card);
        const smdp = new TestSmdp();
        const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
        const corrupt = (bytes: Uint8Array): Uint8Array => {
          const copy = Uint8Array.from(bytes);
          const offset = offsetSeed % copy.length;
          copy[offset] = (copy[offset] ?? 0) ^ xor;
          return copy;
        };
        const request = smdp.initiateAuthentication(euiccChallenge);
        const first = await es10.sendRaw(corruptFirst ? corrupt(request) : request);
        if (!corruptFirst && first.sw === 0x9000) {
          const second = await es10.sendRaw(corrupt(smdp.authenticateClient(first.data)));
          expect([0x9000, 0x6a80, 0x6a88]).toContain(second.sw);
        }
        expect([0x9000, 0x6a80, 0x6a88]).toContain(first.sw);
        expect(internalErrors).toEqual([]);
      }),
      { numRuns: 40, seed: 13 },
    );
  });
});
