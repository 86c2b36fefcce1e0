// The stack's configuration (ZKESIM_*) and the SM-DP+ configuration it builds: its own choices as values set in
// code, SMDP_* on top, written to the data directory where `zkesim smdp …` reads it back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@zkesim/sm-dp-plus';
import { ensureDevelopmentPki, type StackPki } from './developmentPki.js';
import { stackSmdpConfig, startStackSmdp } from './smdp.js';
import { stackSmdsConfig } from './smds.js';
import { stackConfigFromEnvironment } from './stackConfig.js';

let dataDir: string;
let pki: StackPki;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stack-config-'));
  pki = ensureDevelopmentPki(dataDir);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('zkesim start configuration', () => {
  it('has defaults for everything, the data directory from stackDataDir', () => {
    expect(stackConfigFromEnvironment({}, '/work/repo')).toEqual({
      es9Port: 8443,
      es2Port: 8444,
      euiccPort: 8445,
      adminPort: 8446,
      smdsPort: 8447,
      smdsPeerPort: 8452,
      plansPort: 8450,
      portalPort: 8449,
      operatorEs2Port: 8451,
      demoProfileType: 'TS48V1-A-UNIQUE',
      chain: true,
      dataDir: '/work/repo/data',
      smdpHost: 'localhost',
      environment: {},
    });
  });

  it('reads every ZKESIM_* variable it read before, and passes SMDP_*/CHAIN_* on to the SM-DP+ and the chain', () => {
    const config = stackConfigFromEnvironment(
      {
        ZKESIM_DATA_DIR: 'elsewhere',
        ZKESIM_ES9_PORT: '0',
        ZKESIM_ES2_PORT: '',
        ZKESIM_EUICC_PORT: '9445',
        ZKESIM_ADMIN_PORT: '9446',
        ZKESIM_SMDS_PORT: '9447',
        ZKESIM_SMDS_PEER_PORT: '9452',
        ZKESIM_PORTAL_PORT: '9449',
        ZKESIM_OPERATOR_ES2_PORT: '0',
        ZKESIM_DEMO_PROFILE_TYPE: 'TS48V5-SAIP2-1A-NOBERTLV-UNIQUE',
        ZKESIM_CHAIN: 'off',
        SMDP_LOG_LEVEL: 'debug',
        SMDS_LOG_LEVEL: 'warn',
        CHAIN_CONFIRMATIONS: '2',
        HOME: '/root',
      },
      '/work/repo',
    );
    expect(config).toEqual({
      es9Port: 0,
      es2Port: 8444,
      euiccPort: 9445,
      adminPort: 9446,
      smdsPort: 9447,
      smdsPeerPort: 9452,
      plansPort: 8450,
      portalPort: 9449,
      operatorEs2Port: 0,
      demoProfileType: 'TS48V5-SAIP2-1A-NOBERTLV-UNIQUE',
      chain: false,
      dataDir: '/work/repo/elsewhere',
      smdpHost: 'localhost',
      environment: { SMDP_LOG_LEVEL: 'debug', SMDS_LOG_LEVEL: 'warn', CHAIN_CONFIRMATIONS: '2' },
    });
    expect(() => stackConfigFromEnvironment({ ZKESIM_CHAIN: 'maybe' }, '/')).toThrow('stack config ZKESIM_CHAIN: "maybe" is not true or false (or on/off) (for chain)');
    expect(() => stackConfigFromEnvironment({ ZKESIM_ES2_PORT: '65536' }, '/')).toThrow('stack config es2Port: must be a port number 0..65535 (from ZKESIM_ES2_PORT)');
  });
});

describe("the stack's SM-DP+ configuration", () => {
  const options = () => ({ dataDir, pki, address: 'localhost:8443', es9Port: 8443, es2Port: 8444, adminPort: 8446, anchorDirectory: join(dataDir, 'chain') });

  it("is the stack's choices with no SMDP_* set", () => {
    const config = stackSmdpConfig(options());
    expect(config).toMatchObject({
      address: 'localhost:8443',
      storage: { kind: 'sqlite', path: join(dataDir, 'smdp', 'smdp.db') },
      es9: [{ port: 8443, tlsCertificate: pki.nist.dptls.certificatePath }],
      // The stack's SM-DS (ES12) presents a DStls certificate from the development CI.
      es2: { mode: 'port', port: 8444, callbackCa: [pki.nist.ci.certificatePath] },
      admin: { enabled: true, host: '127.0.0.1', port: 8446 },
      profilesPerTemplate: 10,
      metrics: true,
      logLevel: 'info',
      anchor: { enabled: true, outboxDirectory: join(dataDir, 'chain') },
    });
  });

  it("takes SMDP_* over the stack's choices, and refuses bad ones naming the variable", () => {
    const config = stackSmdpConfig({ ...options(), environment: { SMDP_METRICS: 'true', SMDP_LOG_LEVEL: 'debug', SMDP_LIMITS_MAX_SESSIONS: '7', SMDP_DATABASE_PATH: 'db/x.db' }, cwd: dataDir });
    expect(config).toMatchObject({ metrics: true, logLevel: 'debug', limits: { maxSessions: 7 }, storage: { path: join(dataDir, 'db/x.db') }, es2: { port: 8444 } });
    expect(() => stackSmdpConfig({ ...options(), environment: { SMDP_ES2_MODE: 'both' } })).toThrow('smdp config es2.mode: must be "port" (from SMDP_ES2_MODE)');
  });

  it('reads back unchanged from the config.json the stack writes', async () => {
    const smdp = await startStackSmdp({ ...options(), es9Port: 0, es2Port: 0, adminPort: 0, environment: { SMDP_LOG_LEVEL: 'warn', SMDP_PROFILES_PER_TEMPLATE: '1' } });
    try {
      const file = join(dataDir, 'smdp', 'config.json');
      const written = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      expect(written).toMatchObject({ logLevel: 'warn', profilesPerTemplate: 1, es9: [{ port: 0 }] });
      expect(loadConfig({ root: '/elsewhere', file, env: {} })).toEqual(written);
    } finally {
      await smdp.close();
    }
  });
});

describe("the stack's SM-DS configuration", () => {
  it('serves ES11 and ES12/ES15 (own port) with the development DSauth/DStls, trusts the development CI for SM-DP+s, and takes SMDS_* over its choices', () => {
    const options = { dataDir, pki, address: 'localhost:8447', port: 8447, peerPort: 8452 };
    expect(stackSmdsConfig(options)).toMatchObject({
      address: 'localhost:8447',
      port: 8447,
      peerPort: 8452,
      tlsCertificate: pki.nist.dstls.certificatePath,
      credentials: [{ dsAuthCertificate: pki.nist.dsauth.certificatePath }],
      clientCis: [pki.nist.ci.certificatePath],
      storage: { path: join(dataDir, 'smds', 'smds.db') },
      admin: { enabled: false },
    });
    expect(stackSmdsConfig({ ...options, environment: { SMDS_LOG_LEVEL: 'warn', SMDS_EVENTS_LIFETIME_MS: '60000' } })).toMatchObject({ logLevel: 'warn', events: { lifetimeMs: 60_000 } });
  });
});
