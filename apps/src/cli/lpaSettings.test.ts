// `zkesim lpa` settings: the stack's data directory for defaults, LPA_* over them, command-line options over those.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@zkesim/config';
import { sgp26 } from '@zkesim/testing/smdp/testPki';
import { lpaSettings } from './lpaSettings.js';

const ciDer = sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.der');
const ciPem = new X509Certificate(readFileSync(ciDer)).toString();
let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'lpa-settings-'));
  // The stack's development CI under a data directory that is not ./data.
  mkdirSync(join(cwd, 'stack', 'pki', 'nist'), { recursive: true });
  copyFileSync(ciDer, join(cwd, 'stack', 'pki', 'nist', 'ci.cert.pem'));
  copyFileSync(ciDer, join(cwd, 'other-ci.der'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('zkesim lpa settings', () => {
  it("defaults to the CI and the LPA folder of the stack's data directory (ZKESIM_DATA_DIR)", () => {
    const settings = lpaSettings({ euicc: 'tcp:127.0.0.1:8445' }, { ZKESIM_DATA_DIR: 'stack' }, cwd);
    expect(settings.euicc).toMatchObject({ kind: 'tcp' });
    expect(settings.https.trustedCertificates).toEqual([ciPem]);
    expect(settings.https.resolve).toEqual({ localhost: '127.0.0.1' });
    expect(settings.stateDir).toBe(join(cwd, 'stack', 'lpa'));
    expect(settings.device).toEqual({});
  });

  it('reads LPA_* and lets command-line options override them, paths relative to the working directory', () => {
    const env = { LPA_EUICC: 'tcp:127.0.0.1:1', LPA_CI: 'other-ci.der', LPA_RESOLVE: 'smdp.example=10.0.0.1,Other.example=::1', LPA_TAC: '35290611', LPA_STATE_DIR: 'state' };
    const fromEnvironment = lpaSettings({}, env, cwd);
    expect(fromEnvironment.https.resolve).toEqual({ localhost: '127.0.0.1', 'smdp.example': '10.0.0.1', 'other.example': '::1' });
    expect(fromEnvironment.device).toEqual({ tac: '35290611' });
    expect(fromEnvironment.stateDir).toBe(join(cwd, 'state'));
    const fromOptions = lpaSettings({ euicc: 'tcp:127.0.0.1:2', imei: '356938035643809', stateDir: '/tmp/lpa-state', resolve: [] }, env, cwd);
    expect(fromOptions.euicc).toMatchObject({ kind: 'tcp', port: 2 });
    expect(fromOptions.device).toEqual({ tac: '35290611', imei: '356938035643809' });
    expect(fromOptions.stateDir).toBe('/tmp/lpa-state');
    expect(fromOptions.https.resolve).toEqual({ localhost: '127.0.0.1' });
  });

  it('maps HOST[:PORT] to IP[:PORT] with --resolve, as curl does', () => {
    const settings = lpaSettings({ euicc: 'tcp:127.0.0.1:1', resolve: ['SMDP.example:443=127.0.0.1:8443', 'other.example=[::1]:8443', 'third.example=::1'] }, { ZKESIM_DATA_DIR: 'stack' }, cwd);
    expect(settings.https.resolve).toEqual({ localhost: '127.0.0.1', 'smdp.example:443': '127.0.0.1:8443', 'other.example': '[::1]:8443', 'third.example': '::1' });
    for (const bad of ['smdp.example=127.0.0.1:99999', 'smdp.example:x=127.0.0.1', 'smdp.example=not-an-ip', '=127.0.0.1']) {
      expect(() => lpaSettings({ euicc: 'tcp:127.0.0.1:1', resolve: [bad] }, { ZKESIM_DATA_DIR: 'stack' }, cwd)).toThrow(`"${bad}" is not HOST[:PORT]=IP[:PORT]`);
    }
  });

  it("takes --card-log for a sim: card only, resolved against the working directory", () => {
    expect(lpaSettings({ euicc: 'sim:card.db', cardLog: 'logs/card.log' }, { ZKESIM_DATA_DIR: 'stack' }, cwd).cardLog).toBe(join(cwd, 'logs', 'card.log'));
    expect(lpaSettings({ euicc: 'sim:card.db' }, { ZKESIM_DATA_DIR: 'stack', LPA_CARD_LOG: '-' }, cwd).cardLog).toBe('-');
    expect(() => lpaSettings({ euicc: 'tcp:127.0.0.1:1', cardLog: 'card.log' }, { ZKESIM_DATA_DIR: 'stack' }, cwd)).toThrow(/^lpa config cardLog: applies to a sim:STATEFILE card only .*\(from --card-log\)$/);
  });

  it('names the key and its source when something is missing or wrong', () => {
    expect(() => lpaSettings({}, {}, cwd)).toThrow(ConfigError);
    expect(() => lpaSettings({}, {}, cwd)).toThrow(/^lpa config euicc: say which eUICC to use: --euicc .*\(not set; LPA_EUICC sets it\)$/);
    expect(() => lpaSettings({ euicc: 'tcp:127.0.0.1:1' }, {}, cwd)).toThrow(/^lpa config ci: no CI certificate .* pass --ci FILE \(not set; LPA_CI sets it\)$/);
    expect(() => lpaSettings({ euicc: 'tcp:127.0.0.1:1', ci: ['missing.pem'] }, {}, cwd)).toThrow(/^lpa config ci: cannot read .*missing\.pem .*\(from --ci\)$/);
    expect(() => lpaSettings({ euicc: 'tcp:127.0.0.1:1' }, { ZKESIM_DATA_DIR: 'stack', LPA_RESOLVE: 'nohost' }, cwd)).toThrow('lpa config resolve[0]: "nohost" is not HOST[:PORT]=IP[:PORT] (from LPA_RESOLVE)');
  });
});
