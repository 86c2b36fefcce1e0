// Kamailio binds its SIP ports itself, so a port chosen for it can be taken by another process (another test file)
// before it binds. A Kamailio that lost its port must not pass for a running one (a connection to the port
// reaches the other process): startKamailio reports PortTaken, and a start on chosen ports tries fresh ones.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PortTaken, processListensOn } from '@zkesim/contracts';
import { occupyPort as occupy, releaseStolenPorts, type PortThief } from '@zkesim/testing/ports/portThief';
import { ensureDevelopmentPki } from '../../stack/developmentPki.js';
import { SIP_INSTALL_HINT, kamailioInstalled, startKamailio, startKamailioOnPorts, type KamailioOptions } from './kamailioProcess.js';

/** Another process's listeners on the first ports findFreePort hands out. */
const thief = vi.hoisted((): PortThief => ({ steal: 0, listeners: [] }));

vi.mock('@zkesim/contracts', async (importOriginal) => {
  const original = await importOriginal<typeof import('@zkesim/contracts')>();
  const { stealingFindFreePort } = await import('@zkesim/testing/ports/portThief');
  return { ...original, findFreePort: stealingFindFreePort(original.findFreePort, thief) };
});

const available = kamailioInstalled();
if (!available && process.env.CI === 'true') throw new Error(`kamailio is required in CI: ${SIP_INSTALL_HINT}`);

const dataDir = mkdtempSync(join(tmpdir(), 'zkesim-kamailio-ports-'));
afterAll(async () => {
  await releaseStolenPorts(thief);
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!available)('Kamailio on a port another process took', () => {
  const pki = ensureDevelopmentPki(dataDir);
  const kamailioOptions = (name: string) => (ports: { sipPort: number; sipsPort: number | undefined }): KamailioOptions => ({
    dir: join(dataDir, name), domain: 'zk.test', sipPort: ports.sipPort, verifierUrl: 'https://127.0.0.1:9443', verifierCa: pki.ciPem,
  });
  const portOf = (server: Server) => (server.address() as AddressInfo).port;

  it('is PortTaken naming the port, not a Kamailio that is not there', async () => {
    const other = await occupy();
    try {
      const error = await startKamailio(kamailioOptions('taken')({ sipPort: portOf(other), sipsPort: undefined })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortTaken);
      expect((error as PortTaken).port).toBe(portOf(other));
      expect((error as PortTaken).message).toMatch(/Address already in use/);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('starts on fresh ports when the chosen ones were taken first, listening on them itself', async () => {
    thief.steal = 2;
    const started = await startKamailioOnPorts({}, kamailioOptions('fresh'));
    try {
      expect(thief.steal).toBe(0);
      const stolen = thief.listeners.map(portOf);
      expect(stolen).not.toContain(started.sipPort);
      expect(processListensOn(started.kamailio.pid ?? -1, started.sipPort)).toBe(true);
    } finally {
      await started.kamailio.stop();
    }
  });

  it('fails at once on a configured port another process holds', async () => {
    const other = await occupy();
    try {
      await expect(startKamailioOnPorts({ sipPort: portOf(other), sipsPort: 0 }, kamailioOptions('configured'))).rejects.toThrow(`another process holds port ${portOf(other)}`);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
