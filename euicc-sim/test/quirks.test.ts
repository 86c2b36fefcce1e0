// Quirk modes: behaviours of real cards that break LPAs in the field, per eUICC, off by default.
import { describe, expect, it } from 'vitest';
import { EUICCInfo2, profilePolicyRulesOf, GetEuiccChallengeResponse, ProfileInstallationResult, bppPieces, splitTlvs } from '@zkesim/protocol';
import { createEuicc } from '../src/index.js';
import { SMALL_MEMORY_BYTES } from '../src/core/quirks.js';
import { Es10Client } from '@zkesim/testing/euicc/apduClient';
import { installProfile, profileWithIccid } from '@zkesim/testing/euicc/download';
import { hex, sgp26Card, sgp26EuiccState, testDeps, toHex } from '@zkesim/testing/euicc/sgp26Euicc';
import { TestSmdp, ts48Profile } from '@zkesim/testing/euicc/testSmdp';

const ICCID = hex('98001032547698103214');

describe('quirk: custom ISD-R AID', () => {
  it('answers SELECT only for the configured AID', async () => {
    const card = sgp26Card({ isdRAid: hex('A0000005591010FFFFFFFF8900050500') });
    await expect(Es10Client.open(card)).rejects.toThrow(/SELECT failed: 6A82/);
    const es10 = await Es10Client.open(card, hex('A0000005591010FFFFFFFF8900050500'));
    expect(toHex(await es10.send(hex('BF3E035C015A')))).toMatch(/^BF3E125A10/);
  });
});

describe('quirk: EnableProfile only with refreshFlag FALSE', () => {
  it('refuses refreshFlag TRUE with undefinedError(127) and accepts FALSE', async () => {
    const card = sgp26Card({ enableRequiresRefreshFlagFalse: true });
    await installProfile(card, profileWithIccid(ICCID));
    const es10 = await Es10Client.open(card);
    expect(toHex(await es10.send(hex(`BF3111A00C5A0A${toHex(ICCID)}8101FF`)))).toBe('BF310380017F');
    expect(toHex(await es10.send(hex(`BF3111A00C5A0A${toHex(ICCID)}810100`)))).toBe('BF3103800100');
  });
});

describe('quirk: small free memory', () => {
  it(`reports about ${SMALL_MEMORY_BYTES} bytes free in EUICCInfo2 and installs profiles while they fit`, async () => {
    const card = sgp26Card({ totalMemoryBytes: SMALL_MEMORY_BYTES });
    const pir = await installProfile(card, profileWithIccid(ICCID));
    expect(pir.profileInstallationResultData.finalResult).toHaveProperty('successResult');
    const used = card.state.profiles[0]?.memorySize ?? 0;
    const es10 = await Es10Client.open(card);
    const { extCardResource } = EUICCInfo2.decode(await es10.send(hex('BF2200')));
    const freeNvm = splitTlvs(extCardResource).find((tlv) => tlv.tag === 0x82)?.value ?? new Uint8Array();
    expect(freeNvm.reduce((value, byte) => value * 256 + byte, 0)).toBe(SMALL_MEMORY_BYTES - used);
  });
});

describe('quirk: early ProfileInstallationResult', () => {
  it('answers a success PIR in the middle of the BPP and still installs the profile at its end', async () => {
    const card = sgp26Card({ earlyInstallResultAtPiece: 5 });
    const es10 = await Es10Client.open(card);
    const smdp = new TestSmdp();
    const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
    const authenticated = await es10.send(smdp.initiateAuthentication(euiccChallenge));
    const prepared = await es10.send(smdp.authenticateClient(authenticated));
    const pieces = bppPieces(smdp.boundProfilePackage(prepared, card.state.eid, ts48Profile()));
    const answers: number[] = [];
    for (const piece of pieces) answers.push((await es10.send(piece)).length);
    expect(answers.findIndex((length) => length > 0)).toBe(4);
    expect(answers.filter((length) => length > 0)).toHaveLength(1);
    expect(card.state.profiles).toHaveLength(1);
    const pir = ProfileInstallationResult.decode(card.state.notifications[0]?.pendingNotification ?? new Uint8Array());
    expect(pir.profileInstallationResultData.finalResult).toHaveProperty('successResult');
  });
});

describe('quirk: slow responses', () => {
  it('delays every response by the configured time, measured with an injected sleep', async () => {
    const waits: number[] = [];
    const card = createEuicc({ state: sgp26EuiccState({ responseDelayMs: 250 }), deps: testDeps(), sleep: async (ms) => void waits.push(ms) });
    await card.transmit(hex('0070000001'));
    expect(waits).toEqual([250]);
    const started = Date.now();
    const timed = createEuicc({ state: sgp26EuiccState({ responseDelayMs: 120 }), deps: testDeps() });
    await timed.transmit(hex('0070000001'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('quirk: a RAT that grants no policy rule', () => {
  it('reports the rules its RAT grants to nobody in EUICCInfo2.forbiddenProfilePolicyRules (SGP.22 §4.3)', async () => {
    const { forbiddenProfilePolicyRules: defaultForbidden } = EUICCInfo2.decode(await (await Es10Client.open(sgp26Card())).send(hex('BF2200')));
    expect(profilePolicyRulesOf(defaultForbidden)).toEqual(['ppr3']);
    const strict = EUICCInfo2.decode(await (await Es10Client.open(sgp26Card({ ratGrantsNoPolicyRules: true }))).send(hex('BF2200')));
    expect(profilePolicyRulesOf(strict.forbiddenProfilePolicyRules)).toEqual(['ppr1', 'ppr2', 'ppr3']);
  });
});
