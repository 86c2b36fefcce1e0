// An order's subscriber identity (ZK identity layer) in the SQLite store: set through the one internal API,
// sealed at rest, refused once the profile is bound, and dropped when the order closes (cancel or result).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SubscriberIdentityInvalid, iccidDigits } from '@zkesim/protocol';
import Database from 'better-sqlite3';
import { AesGcmSealer } from '../adapters/secrets/aesGcmSealer.js';
import { SqliteRepository } from '../storage/sqlite/sqliteRepository.js';
import { applyProfileEvent } from './applyProfileEvent.js';
import { SubscriberIdentityRefused, setOrderSubscriberIdentity } from './subscriberIdentity.js';

const iccid = iccidDigits('8900000000000000001');
const secret = new Uint8Array(32).fill(0xa5);
const identity = { commitment: 7n, subscriberContract: `0x${'01'.repeat(20)}`, chainId: 1, registry: `0x${'02'.repeat(20)}`, identitySecret: secret };
let dir: string;
let repo: SqliteRepository;

/** The stored column as the file holds it (sealed), read with a connection of its own. */
function storedToken(orderId: number): Buffer | null {
  const db = new Database(join(dir, 'smdp.db'), { readonly: true });
  try {
    return (db.prepare('SELECT subscriber_identity_token AS token FROM orders WHERE order_id = ?').get(orderId) as { token: Buffer | null }).token;
  } finally {
    db.close();
  }
}

const files = () => Buffer.concat(['smdp.db', 'smdp.db-wal'].map((name) => join(dir, name)).filter(existsSync).map((path) => readFileSync(path)));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-identity-'));
  repo = new SqliteRepository({ path: join(dir, 'smdp.db'), sealer: new AesGcmSealer(randomBytes(32)) });
  await repo.transaction(async (tx) => {
    await tx.putProfileTemplate({ profileType: 'demo', upp: Uint8Array.of(0xa0, 0x00), source: 'test', serviceProviderName: 'SP', profileName: 'Demo' });
    await tx.insertProfile({ iccid, profileType: 'demo', state: 'available', imsi: '001010000000001', ki: new Uint8Array(16), opc: new Uint8Array(16) }, 1);
  });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openOrder(): Promise<number> {
  return repo.transaction(async (tx) => {
    await applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 2);
    return (await tx.insertOrder({ iccid, releaseFlag: false, operatorId: 'op', createdAt: 2 })).orderId;
  });
}

describe('an order\'s subscriber identity', () => {
  it('is kept in its own column while the order is open and erased from the files when it closes', async () => {
    const orderId = await openOrder();
    await repo.transaction((tx) => setOrderSubscriberIdentity(tx, iccid, identity));
    expect((await repo.transaction((tx) => tx.getOrder(orderId)))?.subscriberIdentityToken?.length).toBeGreaterThan(32);
    // Sealed: the column is there, the secret is not readable in the files.
    expect(storedToken(orderId)?.length).toBeGreaterThan(32);
    expect(files().includes(Buffer.from(secret))).toBe(false);
    await repo.transaction((tx) => tx.updateOrder(orderId, { closedAt: 3, closeReason: 'cancelled' }));
    expect((await repo.transaction((tx) => tx.getOrder(orderId)))?.subscriberIdentityToken).toBeUndefined();
    expect(storedToken(orderId)).toBeNull();
  });

  it('is erased from the files when a test instance drops its orders', async () => {
    await openOrder();
    await repo.transaction((tx) => setOrderSubscriberIdentity(tx, iccid, identity));
    await repo.resetOrders(5);
    expect(files().includes(Buffer.from(secret))).toBe(false);
    expect(await repo.transaction((tx) => tx.getOpenOrderByIccid(iccid))).toBeUndefined();
  });

  it('is refused without an open order, once the profile is bound, and when it is not a token', async () => {
    await expect(repo.transaction((tx) => setOrderSubscriberIdentity(tx, iccid, identity))).rejects.toThrow(SubscriberIdentityRefused);
    await openOrder();
    await expect(repo.transaction((tx) => setOrderSubscriberIdentity(tx, iccid, Uint8Array.of(0x30, 0x00)))).rejects.toThrow(SubscriberIdentityInvalid);
    await repo.transaction(async (tx) => {
      await applyProfileEvent(tx, iccid, 'confirmOrderAndRelease', 3);
      await applyProfileEvent(tx, iccid, 'bindProfile', 4);
    });
    await expect(repo.transaction((tx) => setOrderSubscriberIdentity(tx, iccid, identity))).rejects.toThrow(/downloaded/);
  });
});
