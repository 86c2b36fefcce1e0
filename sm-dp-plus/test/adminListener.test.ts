// /healthz and /metrics are the operators' (issue #13): served on the admin listener (plain HTTP, 127.0.0.1 by
// default), not on the public ES9+ port nor on the ES2+ port, where anyone without a client certificate
// could read them. Real listeners on the loopback.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness((config) => {
    config.metrics = true;
    // One attempt: an entry the peer does not take is dead after the first run.
    config.outbox.maxAttempts = 1;
  }, 2);
});
afterAll(() => h.close());

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the admin listener', () => {
  it('serves /healthz and /metrics on the loopback', async () => {
    const adminUrl = h.smdp.adminUrl ?? '';
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await get(`${adminUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', availableProfiles: 8 });
    const metrics = await get(`${adminUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('smdp_sessions_evicted_total');
    // It serves nothing else: no SGP.22 function runs there.
    expect((await get(`${adminUrl}/gsma/rsp2/es9plus/initiateAuthentication`)).status).toBe(404);
  });

  it('is the only place they are served: the ES9+ and ES2+ ports answer 404', async () => {
    expect(h.smdp.es2Url).not.toBe(h.smdp.es9Url);
    // The ES2+ port serves only a client certificate its handshake accepts: the operator's.
    const operator = { cert: h.pki.operatorCert, key: h.pki.operatorKey };
    for (const [base, tls] of [[h.smdp.es9Url, {}], [h.smdp.es2Url, operator]] as const) {
      for (const path of ['/healthz', '/metrics']) {
        const answer = await post(`${base}${path}`, '', { ca: h.pki.ciNist, method: 'GET', ...tls });
        expect([path, answer.status]).toEqual([path, 404]);
      }
    }
  });

  it('counts dead outbox entries apart from pending ones (smdp_outbox_dead)', async () => {
    const adminUrl = h.smdp.adminUrl ?? '';
    // A peer address where nothing listens any more: the one attempt fails, and the entry is dead.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await h.smdp.repository.transaction((tx) => tx.enqueueOutbox({ targetUrl: `https://127.0.0.1:${port}/gsma/rsp2/es2plus/handleDownloadProgressInfo`, body: '{}', at: 0 }));
    await h.smdp.outbox.runOnce();
    const metrics = (await get(`${adminUrl}/metrics`)).body;
    expect(metrics).toMatch(/^smdp_outbox_dead 1$/m);
    expect(metrics).toMatch(/^smdp_outbox_pending 0$/m);
  });
});
