// An anonymous flood of InitiateAuthentication from one address (issue #13): it must not fill the session
// table for everyone. The flood comes from 127.0.0.2 while a real download runs from 127.0.0.1, both over
// TLS on the loopback, against a small table so a few hundred calls are a flood.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { smdpHost } from '@zkesim/testing/smdp/testPki';

// An upper bound only: the flood stops once the download is done (about a hundred calls on an idle machine).
const floodCalls = 1000;
let h: Harness;
beforeAll(async () => {
  h = await startHarness((config) => {
    config.limits.maxSessions = 20;
    config.unauthenticatedSessions = { lifetimeMs: 10_000, maxPerAddress: 4 };
  });
});
afterAll(() => h.close());

describe('an anonymous InitiateAuthentication flood', () => {
  it('does not keep a legitimate download from another address from completing', async () => {
    await h.order({ eid: sgp26Eid, matchingId: 'FLOOD-1' });
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    const euiccInfo1 = Buffer.from(await lpa.es10.send(Uint8Array.of(0xbf, 0x20, 0x00))).toString('base64');
    let sent = 0;
    let stopped = false;
    const floodStatuses: string[] = [];
    const flooder = async () => {
      while (sent < floodCalls && !stopped) {
        sent += 1;
        const body = JSON.stringify({ euiccChallenge: randomBytes(16).toString('base64'), euiccInfo1, smdpAddress: smdpHost });
        const result = await post(`${h.smdp.es9Url}/gsma/rsp2/es9plus/initiateAuthentication`, body, { ca: h.pki.ciNist, localAddress: '127.0.0.2' });
        floodStatuses.push(statusOf(result).status ?? 'none');
      }
    };
    const flood = Promise.all(Array.from({ length: 8 }, flooder));
    try {
      // The download starts once the flood alone could have filled the table, and runs while it goes on.
      while (sent < 50) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(statusOf(await lpa.initiateAuthentication()).status).toBe('Executed-Success');
      await lpa.authenticateServer('FLOOD-1');
      expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
      await lpa.prepareDownload();
      expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
      expect(sent).toBeLessThan(floodCalls);
    } finally {
      stopped = true;
      await flood;
    }
    // The flooder itself is not refused: its own oldest unauthenticated sessions make room, and it holds four.
    expect(floodStatuses.length).toBeGreaterThan(50);
    expect(floodStatuses.filter((status) => status !== 'Executed-Success')).toEqual([]);
    expect(h.smdp.es9plus.context.sessions.unauthenticatedSize).toBeLessThanOrEqual(4);
    // Every flood session beyond the four it holds evicted one of its own, and nothing else was evicted.
    const metrics = await h.smdp.metrics.registry.metrics();
    expect(metrics).toContain(`smdp_sessions_evicted_total{reason="source-limit"} ${floodStatuses.length - 4}`);
    expect(metrics).not.toContain('reason="table-full"');
  }, 60_000);
});
