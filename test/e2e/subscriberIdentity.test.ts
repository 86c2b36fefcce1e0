// The ZK identity layer's subscriber identity inside the profile, end to end with real APDUs: an order that
// carries an identity gets it into the profile as a SAIP PE-NonStandard (inside the BSP-protected BPP), the
// software eUICC keeps it with the profile, and the LPA reads it back with the vendor ES10 extension 'FA'
// (enabled profile only); the SM-DP+ keeps no identity secret once the installation result has arrived.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Es10ResultError } from '@zkesim/lpa-core';
import { openSqliteStore } from '@zkesim/euicc-sim';
import { SUBSCRIBER_IDENTITY_ISSUER_ID, eidToBytes, iccidDigits, iccidToDigits } from '@zkesim/protocol';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { run } from '@zkesim/testing/stack/processes';
import { useTestStack } from '@zkesim/testing/stack/testStack';

const t = useTestStack();
const zkesim = `node ${fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url))}`;
const secret = new Uint8Array(randomBytes(32));
const identity = {
  commitment: 0x2a5c3e1f00112233445566778899aabbccddeeff00112233445566778899aabbn,
  subscriberContract: `0x${'5e'.repeat(20)}`,
  chainId: 31337,
  registry: `0x${'c0'.repeat(20)}`,
  identitySecret: secret,
};

/** The SM-DP+'s SQLite files (database and write-ahead log) as bytes, read straight from disk. */
function smdpFiles(): Buffer {
  const db = join(t.dataDir, 'smdp', 'smdp.db');
  return Buffer.concat([db, `${db}-wal`].filter(existsSync).map((path) => readFileSync(path)));
}


const refusal = (error: unknown) => (error instanceof Es10ResultError ? error.resultName : error);

describe('the subscriber identity in the profile', { timeout: 90_000 }, () => {
  let iccid = '';

  it('is downloaded with the profile and read back only while the profile is enabled; the CLI shows the public part', async () => {
    const order = await t.order({ eid: t.stack.euicc.eid, subscriberIdentity: identity });
    // The SM-DP+ keeps it (sealed) while the order is open...
    expect((await t.stack.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(order.iccid))))?.subscriberIdentityToken).toBeDefined();
    expect(smdpFiles().includes(Buffer.from(secret))).toBe(false);
    await t.withStackLpa(async (lpa) => {
      const result = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
      iccid = iccidToDigits(result.iccid);
      expect(iccid).toBe(order.iccid);
      // A downloaded profile is disabled (SGP.22 §3.1.3): its identity is not handed out.
      expect(refusal(await lpa.readSubscriberIdentity().catch((e: unknown) => e))).toBe('noEnabledProfile');
      await lpa.enableProfile(iccid);
    });
    const shown = await run(`${zkesim} lpa --euicc tcp:127.0.0.1:${t.stack.euicc.port} --ci ${t.stack.ciPem} identity show`, { cwd: t.dataDir, env: process.env, timeoutMs: 60_000 });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({
      type: 'lpa',
      payload: {
        code: 0,
        message: 'success',
        data: { iccid, version: 1, commitment: identity.commitment.toString(10), subscriberContract: identity.subscriberContract, chainId: 31337, registry: identity.registry },
      },
    });
    expect(shown.stdout.toLowerCase()).not.toContain(Buffer.from(secret).toString('hex'));
    // The secret is there for a proof, when asked for explicitly.
    const withSecret = await t.withStackLpa((lpa) => lpa.readSubscriberIdentityWithSecret());
    expect(withSecret.identitySecret).toEqual(secret);
  });

  it('leaves no identity secret in the SM-DP+ store once the installation result has arrived', async () => {
    // The installation result closed the order (and with it dropped the identity).
    expect(await t.stack.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(iccid)))).toBeUndefined();
    expect(smdpFiles().includes(Buffer.from(secret))).toBe(false);
  });

  it('is refused for a disabled profile and gone with the deleted profile', async () => {
    const identityProfiles = () => {
      const store = openSqliteStore(t.stack.euicc.stateFile);
      try {
        const state = store.load(eidToBytes(t.stack.euicc.eid));
        return (state?.profiles ?? []).filter((profile) => profile.nonStandardElements.some((element) => element.issuerID === SUBSCRIBER_IDENTITY_ISSUER_ID)).map((p) => iccidToDigits(p.iccid));
      } finally {
        store.close();
      }
    };
    // Kept with the profile in the card's own SQLite state...
    expect(identityProfiles()).toEqual([iccid]);
    await t.withStackLpa(async (lpa) => {
      await lpa.disableProfile(iccid);
      expect(refusal(await lpa.readSubscriberIdentity().catch((e: unknown) => e))).toBe('noEnabledProfile');
      await lpa.deleteProfile(iccid);
    });
    // ...and deleted with it.
    expect(identityProfiles()).toEqual([]);
  });

  it('is absent from a profile ordered without one: the profile installs as before and the eUICC says so', async () => {
    const { card, eid } = newTestCard(t.stack, 301);
    const order = await t.order({ eid });
    const lpa = await t.openLpa(card);
    await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
    await lpa.enableProfile(order.iccid);
    expect(refusal(await lpa.readSubscriberIdentity().catch((e: unknown) => e))).toBe('noIdentityInProfile');
    expect(card.state.profiles[0]?.nonStandardElements).toEqual([]);
  });
});
