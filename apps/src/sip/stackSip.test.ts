// `npm start`'s SIP part when it cannot or must not run, and the Kamailio configuration it would write: every
// value checked, so nothing from the environment can add configuration text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevelopmentPki } from '../stack/developmentPki.js';
import { renderKamailioConfig } from './kamailio/kamailioProcess.js';
import { startStackSip } from './stackSip.js';

const dataDir = mkdtempSync(join(tmpdir(), 'zkesim-stack-sip-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the SIP part of npm start', () => {
  const pki = ensureDevelopmentPki(dataDir);
  const base = { dataDir, cwd: dataDir, ci: pki.nist.ci, ciPem: pki.ciPem, chain: { rpcUrl: 'http://127.0.0.1:1', registry: `0x${'11'.repeat(20)}` } };

  it('says why it is not running: switched off, no chain, Kamailio not installed (with the install command)', async () => {
    expect((await startStackSip({ ...base, env: { ZKESIM_SIP_ENABLED: 'off' } })).lines).toEqual(['  SIP           off (ZKESIM_SIP_ENABLED=off)']);
    expect((await startStackSip({ ...base, env: {}, chain: undefined })).lines).toEqual(['  SIP           off (needs the chain layer)']);
    const missing = await startStackSip({ ...base, env: {}, kamailioBinary: join(dataDir, 'no-kamailio') });
    expect(missing.service).toBeUndefined();
    expect(missing.lines).toEqual(['  SIP           not started: Kamailio is not installed (apt-get install kamailio kamailio-utils-modules kamailio-tls-modules sip-tester)']);
    await expect(startStackSip({ ...base, env: { ZKESIM_SIP_PORT: 'x' } })).rejects.toThrow('ZKESIM_SIP_PORT');
  });

  it('renders the configuration with checked values only', () => {
    const options = { dir: dataDir, domain: 'zk.test', sipPort: 5062, verifierUrl: 'https://127.0.0.1:9443', verifierCa: pki.ciPem };
    const config = renderKamailioConfig(options);
    expect(config).toContain('listen=tcp:127.0.0.1:5062');
    expect(config).toContain('http_client_query("https://127.0.0.1:9443/register"');
    expect(config).toContain(`modparam("http_client", "cacert", "${pki.ciPem}")`);
    expect(config).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(() => renderKamailioConfig({ ...options, domain: 'zk.test"\nlisten=udp:0.0.0.0:5060' })).toThrow('not a host name');
    expect(() => renderKamailioConfig({ ...options, verifierUrl: 'http://127.0.0.1:9443' })).toThrow('want https://host:port');
    expect(() => renderKamailioConfig({ ...options, verifierCa: '/tmp/ca".pem' })).toThrow('unusual characters');
    expect(() => renderKamailioConfig({ ...options, sipPort: 70000 })).toThrow('sipPort');
  });
});
