// Ki, OPc and confirmation-code digests at rest in PostgreSQL (SECURITY.md), as secretsAtRest.test.ts checks
// them in SQLite's files: the columns as the server holds them contain none of the values, a sealed value
// moved to another row does not open, and a store sealed under another key-encryption key is refused at open.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';
import { iccidDigits } from '@zkesim/protocol';
import { openRepository } from '../openRepository.js';
import { AesGcmSealer } from '../../adapters/secrets/aesGcmSealer.js';
import { SealedValueError } from '../../core/secretSealer.js';
import { matchingId } from '../../core/identifiers.js';

const iccid = iccidDigits('8900000000000000001');
const other = iccidDigits('8900000000000000019');
const ki = Buffer.from('4b1f0a3c5d7e9b2a4b1f0a3c5d7e9b01', 'hex');
const opc = Buffer.from('0c9a7e5d3c1b0a090c9a7e5d3c1b0a02', 'hex');
const ccDigest = createHash('sha256').update('271828').digest();

describe.skipIf(!postgresAvailable())('secrets at rest in PostgreSQL', () => {
  let url: string;
  let sealer: AesGcmSealer;
  beforeEach(async () => {
    url = await freshDatabase('smdp_secrets');
    sealer = new AesGcmSealer(randomBytes(32));
  });

  async function raw<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it('keeps no Ki, OPc or confirmation-code digest in the rows, gives them back opened, and binds each to its row', async () => {
    const repository = await openRepository({ kind: 'postgres', url, maxConnections: 2, outboxClaimMs: 60_000 }, sealer);
    try {
      await repository.transaction(async (tx) => {
        await tx.putProfileTemplate({ profileType: 'demo', upp: Uint8Array.of(0xa0, 0x00), source: 'test', serviceProviderName: 'SP', profileName: 'Demo' });
        for (const profile of [iccid, other]) await tx.insertProfile({ iccid: profile, profileType: 'demo', state: 'available', imsi: '001010000000001', ki, opc }, 1);
        await tx.insertOrder({ iccid, releaseFlag: false, operatorId: 'op', createdAt: 1, confirmationCodeHash: ccDigest, matchingId: matchingId('M-1') });
      });
      const stored = await raw(async (client) => {
        const profiles = await client.query<{ ki: Buffer; opc: Buffer }>('SELECT ki, opc FROM profiles');
        const orders = await client.query<{ confirmation_code_hash: Buffer }>('SELECT confirmation_code_hash FROM orders');
        return Buffer.concat([...profiles.rows.flatMap((row) => [row.ki, row.opc]), ...orders.rows.map((row) => row.confirmation_code_hash)]);
      });
      for (const secret of [ki, opc, ccDigest]) expect(stored.includes(secret)).toBe(false);
      const { profile, order } = await repository.transaction(async (tx) => ({ profile: await tx.getProfileSecrets(iccid), order: await tx.getOpenOrderByIccid(iccid) }));
      expect(Buffer.from(profile?.ki ?? [])).toEqual(ki);
      expect(Buffer.from(order?.confirmationCodeHash ?? [])).toEqual(ccDigest);
      await raw((client) => client.query('UPDATE profiles SET ki = (SELECT ki FROM profiles WHERE iccid = $1) WHERE iccid = $2', [iccid, other]));
      await expect(repository.transaction((tx) => tx.getProfileSecrets(other))).rejects.toThrow(SealedValueError);
    } finally {
      await repository.close();
    }
  });

  it('refuses to open a store sealed with another key-encryption key', async () => {
    await (await openRepository({ kind: 'postgres', url, maxConnections: 2, outboxClaimMs: 60_000 }, sealer)).close();
    await expect(openRepository({ kind: 'postgres', url, maxConnections: 2, outboxClaimMs: 60_000 }, new AesGcmSealer(randomBytes(32)))).rejects.toThrow(SealedValueError);
  });

  it('names the missing database URL when neither storage.url nor DATABASE_URL is set', async () => {
    const saved = process.env['DATABASE_URL'];
    delete process.env['DATABASE_URL'];
    try {
      await expect(openRepository({ kind: 'postgres', maxConnections: 2, outboxClaimMs: 60_000 }, sealer)).rejects.toThrow(/neither storage\.url nor DATABASE_URL/);
      process.env['DATABASE_URL'] = url;
      await (await openRepository({ kind: 'postgres', maxConnections: 2, outboxClaimMs: 60_000 }, sealer)).close();
    } finally {
      if (saved === undefined) delete process.env['DATABASE_URL'];
      else process.env['DATABASE_URL'] = saved;
    }
  });
});
