// Interoperation: the project's LPA (lpa-core) downloads a profile from this SM-DP+ over real HTTPS into
// the software eUICC (euicc-sim), which loads the BPP itself and signs the installation result; the
// operator gets its callback, the install hook fires, and the logs carry no secrets.
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lpa } from '@zkesim/testing/smdp/lpa-core';
import { BoundProfilePackage, type IccidDigits } from '@zkesim/protocol';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import type { InstallResultEvent } from '../src/es9plus/context.js';
import { bindEs9Port, startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26Card, sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { smdpHost } from '@zkesim/testing/smdp/testPki';

let h: Harness;
let address = '';
const logLines: string[] = [];
const installs: InstallResultEvent[] = [];

beforeAll(async () => {
  const es9 = await bindEs9Port();
  const { port } = es9;
  address = es9.address;
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  h = await startHarness(
    (config) => {
      config.address = address;
      config.logLevel = 'debug';
      const first = config.es9[0];
      if (first !== undefined) first.port = port;
    },
    2,
    { logDestination, hooks: { onInstallResult: (event) => installs.push(event) }, boundSockets: es9.boundSockets },
  );
});
afterAll(() => h.close());

describe('lpa-core + euicc-sim against the SM-DP+', () => {
  it('downloads, installs on the card, and closes the order as installed', async () => {
    // Long enough that the logs' timestamps and random hex (transactionIds) do not contain it by chance: a
    // 4-digit code can, and then the secrecy check below fails with no secret in the logs.
    const confirmationCode = '8642097531';
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'LPA-CORE-1', confirmationCode })) as IccidDigits;
    // The Ki before the download: once the profile is installed the SM-DP+ erases it.
    const ki = (await h.smdp.repository.transaction((tx) => tx.getProfileSecrets(iccid)))?.ki ?? new Uint8Array(0);
    expect(ki).toHaveLength(16);
    const { card } = sgp26Card();
    const lpa = await Lpa.open({
      transport: card,
      https: { trustedCertificates: [readFileSync(h.pki.ciNist, 'utf8')], resolve: { [smdpHost]: '127.0.0.1' } },
    });
    const result = await lpa.downloadProfile({ smdpAddress: address, matchingId: 'LPA-CORE-1', confirmationCode });
    await lpa.close();
    expect(result.notifications.length).toBeGreaterThan(0);
    expect(card.state.profiles).toHaveLength(1);
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
    expect(installs).toEqual([expect.objectContaining({ iccid, eid: sgp26Eid, success: true })]);
    await h.smdp.outbox.runOnce();
    expect(h.callbacks.received.map((c) => c.body.notificationPointId)).toEqual([3, 4]);

    expect((await h.smdp.repository.transaction((tx) => tx.getProfileSecrets(iccid)))?.ki).toEqual(new Uint8Array(0));
    const logs = logLines.join('');
    expect(logs).toContain('profile installation result');
    expect(logs).not.toContain(sgp26Eid);
    expect(logs).not.toContain(iccid);
    expect(logs.toLowerCase()).not.toContain(Buffer.from(ki).toString('hex'));
    expect(logs).not.toContain(confirmationCode);
  });
});

describe('profile protection keys (ReplaceSessionKeys, SGP.22 §5.5.3)', () => {
  let ppk: Harness;
  let ppkAddress = '';
  beforeAll(async () => {
    const es9 = await bindEs9Port();
    const { port } = es9;
    ppkAddress = es9.address;
    ppk = await startHarness((config) => {
      config.address = ppkAddress;
      config.profileProtectionKeys = true;
      const first = config.es9[0];
      if (first !== undefined) first.port = port;
    }, 2, { boundSockets: es9.boundSockets });
  });
  afterAll(() => ppk.close());

  it('binds with a secondSequenceOf87 and the card still installs the profile', async () => {
    const iccid = (await ppk.order({ eid: sgp26Eid, matchingId: 'PPK-1' })) as IccidDigits;
    const { card } = sgp26Card();
    const lpa = await Lpa.open({ transport: card, https: { trustedCertificates: [readFileSync(ppk.pki.ciNist, 'utf8')], resolve: { [smdpHost]: '127.0.0.1' } } });
    await lpa.downloadProfile({ smdpAddress: ppkAddress, matchingId: 'PPK-1' });
    await lpa.close();
    expect(card.state.profiles).toHaveLength(1);
    expect((await ppk.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
  });

  it('puts ReplaceSessionKeys into the BPP', async () => {
    await ppk.order({ eid: sgp26Eid, matchingId: 'PPK-2' });
    const lpa = await TestLpa.create(ppk.smdp.es9Url, ppk.pki.ciNist);
    await lpa.initiateAuthentication(ppkAddress);
    await lpa.authenticateServer('PPK-2');
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    await lpa.getBoundProfilePackage();
    expect(BoundProfilePackage.decode(lpa.boundProfilePackage).secondSequenceOf87).toHaveLength(1);
  });
});
