// `npx zkesim asn1 …` as a user runs it: a real process, real files, exit codes and one-line errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR } from '../support.js';

const zkesim = fileURLToPath(new URL('../../../bin/zkesim.js', import.meta.url));
const run = (args: string[], input?: string) => spawnSync(process.execPath, [zkesim, ...args], { input, encoding: 'utf8' });

describe('zkesim asn1', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkesim-asn1-'));

  it('decodes hex DER to JSON and encodes it back', () => {
    const file = join(dir, 'challenge.hex');
    writeFileSync(file, 'bf2e128010000102030405060708090a0b0c0d0e0f\n');
    const decoded = run(['asn1', 'decode', 'GetEuiccChallengeResponse', file]);
    expect(decoded.status).toBe(0);
    expect(JSON.parse(decoded.stdout)).toEqual({ euiccChallenge: '000102030405060708090a0b0c0d0e0f' });
    const encoded = run(['asn1', 'encode', 'GetEuiccChallengeResponse', '-', '--hex'], decoded.stdout);
    expect(encoded.stdout.trim()).toBe('bf2e128010000102030405060708090a0b0c0d0e0f');
  });

  it('decodes a whole SAIP profile package element by element', () => {
    const out = execFileSync(process.execPath, [zkesim, 'asn1', 'decode', 'ProfileElement', `${SHARED_DIR}spec/upp/TS48V1-A-UNIQUE.der`, '--concatenated'], { encoding: 'utf8' });
    const elements = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(Object.keys(elements[0]!)).toEqual(['header']);
    expect(Object.keys(elements.at(-1)!)).toEqual(['end']);
  });

  it('exits 1 with a one-line error on malformed input and on an unknown type', () => {
    const bad = run(['asn1', 'decode', 'GetEuiccChallengeResponse', '-'], 'bf2e1180');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/GetEuiccChallengeResponse: length-overflow at byte 2/);
    const unknown = run(['asn1', 'decode', 'NoSuchType', '-'], '00');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown ASN.1 type/);
  });

  it('lists the types', () => {
    const types = run(['asn1', 'types']).stdout.split('\n');
    expect(types).toContain('BoundProfilePackage');
    expect(types).toContain('PE_AKAParameter');
    expect(types).toContain('Certificate');
  });
});
