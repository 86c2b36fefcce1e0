// The operator's order log: each HandleDownloadProgressInfo stored once per functionCallIdentifier, the order's
// state moved as the SM-DP+'s lifecycle moved (after a failure: as the SM-DP+ reports it), listeners told of each change, search
// with LIKE's wildcards taken literally, and erasure of a subscriber's orders and events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderLog, type OrderRow } from './orderLog.js';
import { openPortalDatabase } from './portalDatabase.js';

const dir = mkdtempSync(join(tmpdir(), 'portal-orders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (callId: string, iccid: string, point: number, status = 'Executed-Success') => ({ callId, iccid, notificationPoint: point, status, occurredAt: '2026-01-01T00:00:00Z' });

describe('OrderLog', () => {
  const db = openPortalDatabase(join(dir, 'portal.db'));
  const orders = new OrderLog(db, () => 1_800_000_000_000);
  afterAll(() => db.close());

  it('records placed orders as released and moves them with each successful event, once per call; failures leave the state to the SM-DP+', () => {
    const changes: OrderRow[] = [];
    orders.changes.on('change', (row) => changes.push(row));
    orders.placed({ iccid: '8900000000000000001', matchingId: 'M-1', kycReference: 'kyc-a', profileType: 'T', activationCode: 'LPA:1$x$M-1' });
    expect(orders.received(event('tx1.3', '8900000000000000001', 3), 'T', undefined)).toBe(true);
    expect(orders.received(event('tx1.3', '8900000000000000001', 3), 'T', undefined)).toBe(false);
    expect(orders.get('8900000000000000001')?.state).toBe('downloaded');
    orders.received(event('tx1.4', '8900000000000000001', 4), 'T', undefined);
    expect(orders.get('8900000000000000001')?.state).toBe('installed');
    // Points that change no state (eligibility check) leave it; a failure makes it failed.
    orders.received(event('tx2.1', '8900000000000000002', 1), 'T', '89049032000000000000000000000001');
    expect(orders.get('8900000000000000002')).toMatchObject({ state: 'released', eid: '89049032000000000000000000000001' });
    orders.received({ ...event('tx2.3', '8900000000000000002', 3, 'Failed'), subjectCode: '8.2.1', reasonCode: '3.8' }, 'T', undefined);
    expect(orders.get('8900000000000000002')?.state).toBe('released');
    orders.setState('8900000000000000002', 'error');
    orders.setState('8900000000000000002', 'error');
    expect(orders.get('8900000000000000002')?.state).toBe('error');
    expect(orders.events('8900000000000000002')[1]).toMatchObject({ status: 'Failed', subjectCode: '8.2.1', reasonCode: '3.8' });
    expect(changes.map((row) => row.state)).toEqual(['released', 'downloaded', 'installed', 'released', 'released', 'error']);
  });

  it('searches ICCID, matching ID, state and profile type, with % and _ taken literally, and pages', () => {
    expect(orders.list('M-1', 0, 10).orders.map((o) => o.iccid)).toEqual(['8900000000000000001']);
    expect(orders.list('error', 0, 10).total).toBe(1);
    expect(orders.list('%', 0, 10).total).toBe(0);
    expect(orders.list('_', 0, 10).total).toBe(0);
    const first = orders.list('', 0, 1);
    const second = orders.list('', 1, 1);
    expect(first.total).toBe(2);
    expect(first.orders).toHaveLength(1);
    expect(second.orders).toHaveLength(1);
    expect([...first.orders, ...second.orders].map((o) => o.iccid).sort()).toEqual(['8900000000000000001', '8900000000000000002']);
  });

  it("erases a subscriber's orders and their events, and no one else's", () => {
    expect(orders.eraseSubscriber('kyc-a')).toEqual({ orders: 1, events: 2 });
    expect(orders.get('8900000000000000001')).toBeUndefined();
    expect(orders.events('8900000000000000001')).toEqual([]);
    expect(orders.get('8900000000000000002')).toBeDefined();
  });
});
