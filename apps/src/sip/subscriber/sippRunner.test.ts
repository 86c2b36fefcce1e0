// sipp binds its SIP contact port (-p) itself, so a port chosen for it may be taken by another process first (CI
// runs two test files at once). sipp then exits without sending anything; the run must say PortTaken, so that the
// caller chooses a fresh port (and, for a REGISTER, makes a fresh proof for the fresh Contact), not report a SIP
// exchange without an answer.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { PortTaken } from '@zkesim/contracts';
import { SIP_INSTALL_HINT } from '../kamailio/kamailioProcess.js';
import { runSipp, sippInstalled } from './sippRunner.js';

const available = sippInstalled();
if (!available && process.env.CI === 'true') throw new Error(`sipp is required in CI: ${SIP_INSTALL_HINT}`);

const listeners: Server[] = [];
afterAll(async () => {
  await Promise.all(listeners.map((listener) => new Promise((resolve) => listener.close(resolve))));
});

describe.skipIf(!available)('sipp on a port another process holds', () => {
  it('is PortTaken naming the port, and sends nothing', async () => {
    const listener = createServer((socket) => socket.destroy());
    listeners.push(listener);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    const { port } = listener.address() as AddressInfo;
    let connections = 0;
    listener.on('connection', () => (connections += 1));
    const run = runSipp({ scenario: 'register', fields: ['zk.test', 'a@zk.test', `sip:a@127.0.0.1:${port}`, 'Subject: none', '60'], localPort: port, remote: `127.0.0.1:${port}`, callId: 'taken@zk.test', timeoutSeconds: 5 });
    const error: unknown = await run.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortTaken);
    expect((error as PortTaken).port).toBe(port);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect(connections).toBe(0);
  });
});
