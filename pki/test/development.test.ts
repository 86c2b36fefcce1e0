// Our own hierarchy (`createDevelopmentPki`, what `zkesim pki init` writes): every role validates, OpenSSL
// accepts the certificates and CRL, the extensions are the SGP.22 §4.5.2 profiles, and each certificate
// round-trips byte for byte through the protocol layer's generated Certificate codec.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate, CertificateList, isValidEid } from '@zkesim/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevelopmentPki } from '../src/development/create.js';
import { entityPaths, crlPath } from '../src/development/layout.js';
import { loadDevelopmentPki, type DevelopmentHierarchy } from '../src/development/load.js';
import { validateChain } from '../src/validateChain.js';
import { PRIVATE_KEY_FILE_MODE } from '../src/keys/keyFile.js';
import { eidOf } from '../src/rules/permittedEins.js';

const now = new Date('2026-11-25T08:00:00Z');
let seed = 7;
const random = (length: number) => Uint8Array.from({ length }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
const dir = mkdtempSync(join(tmpdir(), 'zkesim-pki-'));
const { pki, files } = createDevelopmentPki(dir, { now, random });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function text(path: string): string {
  return execFileSync('openssl', ['x509', '-inform', 'der', '-in', path, '-noout', '-text'], { encoding: 'utf8' });
}

describe.each(['nist', 'brp'] as const)('development hierarchy, %s', (curve) => {
  const h = pki.hierarchies[curve] as DevelopmentHierarchy;
  const path = (name: Parameters<typeof entityPaths>[2]) => entityPaths(dir, curve, name);
  const ciPem = path('ci').certificatePem;
  const crlPem = join(dir, `${curve}-ci.crl.pem`);
  writeFileSync(crlPem, execFileSync('openssl', ['crl', '-inform', 'der', '-in', crlPath(dir, curve)]));

  it('validates every role to the CI with the CI CRL', () => {
    const trustedCis = [h.ci.certificate];
    for (const role of ['dpauth', 'dppb', 'dptls', 'dsauth', 'dstls'] as const) {
      validateChain({ certificate: h[role].certificate, trustedCis, role, at: now, crls: [h.crl] });
    }
    validateChain({ certificate: h['operator-client'].certificate, trustedCis, role: 'client', at: now, crls: [h.crl] });
    const chain = validateChain({ certificate: h.euicc.certificate, intermediates: [h.eum.certificate], trustedCis, role: 'euicc', at: now });
    expect(eidOf(chain.path[0] ?? h.euicc.certificate)).toBe(pki.eid);
    expect(isValidEid(pki.eid)).toBe(true);
  });

  it('openssl verify accepts the EUM, SM-DP+, SM-DS and client certificates with CRL checking', () => {
    for (const name of ['eum', 'dpauth', 'dppb', 'dptls', 'dsauth', 'dstls', 'operator-client'] as const) {
      const result = openssl(['verify', '-CAfile', ciPem, '-crl_check', '-CRLfile', crlPem, path(name).certificatePem]);
      expect(result, name).toMatchObject({ status: 0 });
    }
    expect(openssl(['verify', '-CAfile', ciPem, '-purpose', 'sslserver', path('dptls').certificatePem]).status).toBe(0);
    expect(openssl(['verify', '-CAfile', ciPem, '-purpose', 'sslclient', path('operator-client').certificatePem]).status).toBe(0);
    expect(openssl(['crl', '-inform', 'der', '-in', crlPath(dir, curve), '-noout', '-CAfile', ciPem]).output).toMatch(/verify OK/);
  });

  // The EUM's permitted EINs are nameConstraints that SGP.22 reads as an EID prefix; RFC 5280 (OpenSSL)
  // reads them as a DN subtree that no eUICC subject {C, O, serialNumber=EID, CN} can match, because the
  // EID is longer than the EIN. So OpenSSL's chain check stops at exactly that rule, and the eUICC
  // signature is checked with OpenSSL over the TBS it extracts itself.
  it('openssl: the eUICC fails only the RFC 5280 DN-subtree check, and its signature verifies under the EUM key', () => {
    const chain = openssl(['verify', '-CAfile', ciPem, '-untrusted', path('eum').certificatePem, path('euicc').certificatePem]);
    expect(chain.output).toMatch(/error 47 at 0 depth lookup: permitted subtree violation/);
    const der = path('euicc').certificateDer;
    const lines = execFileSync('openssl', ['asn1parse', '-inform', 'der', '-in', der], { encoding: 'utf8' }).trim().split('\n');
    const signatureOffset = (lines[lines.length - 1] ?? '').split(':')[0]?.trim() ?? '';
    const tbs = join(dir, `${curve}-euicc.tbs`);
    const signature = join(dir, `${curve}-euicc.sig`);
    const eumKey = join(dir, `${curve}-eum.pub`);
    execFileSync('openssl', ['asn1parse', '-inform', 'der', '-in', der, '-strparse', '4', '-noout', '-out', tbs]);
    execFileSync('openssl', ['asn1parse', '-inform', 'der', '-in', der, '-strparse', signatureOffset, '-noout', '-out', signature]);
    writeFileSync(eumKey, execFileSync('openssl', ['x509', '-in', path('eum').certificatePem, '-pubkey', '-noout']));
    expect(openssl(['dgst', '-sha256', '-verify', eumKey, '-signature', signature, tbs]).output).toMatch(/Verified OK/);
  });

  it('openssl x509 -text shows the SGP.22 profile extensions', () => {
    const ci = text(path('ci').certificateDer);
    expect(ci).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(ci).toMatch(/Certificate Policies: critical\s+Policy: 2\.23\.146\.1\.2\.1\.0/);
    expect(ci).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(ci).toMatch(/Registered ID:2\.999\.1\b/);
    expect(ci).toMatch(/CRL Distribution Points/);
    const eum = text(path('eum').certificateDer);
    expect(eum).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(eum).toMatch(/Key Usage: critical\s+Certificate Sign\n/);
    expect(eum).toMatch(/Policy: 2\.23\.146\.1\.2\.1\.2/);
    expect(eum).toMatch(/Name Constraints: critical\s+Permitted:\s+DirName:O = zkesim EUM, serialNumber = 89001012/);
    expect(eum).toMatch(/Authority Key Identifier/);
    const euicc = text(path('euicc').certificateDer);
    expect(euicc).toMatch(new RegExp(`Subject: C = ZZ, O = zkesim EUM, serialNumber = ${pki.eid}, CN = zkesim eUICC`));
    expect(euicc).toMatch(/Not After : Dec 31 23:59:59 9999 GMT/);
    expect(euicc).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(euicc).toMatch(/Policy: 2\.23\.146\.1\.2\.1\.1/);
    expect(euicc).not.toMatch(/Basic Constraints|CRL Distribution/);
    const policies = { dpauth: '4', dppb: '5', dptls: '3', dsauth: '7', dstls: '6' } as const;
    for (const [name, last] of Object.entries(policies) as [keyof typeof policies, string][]) {
      const server = text(path(name).certificateDer);
      expect(server, name).toMatch(new RegExp(`Policy: 2\\.23\\.146\\.1\\.2\\.1\\.${last}\\n`));
      expect(server, name).toMatch(/Key Usage: critical\s+Digital Signature\n/);
      expect(server, name).toMatch(/Subject Key Identifier/);
      expect(server, name).toMatch(/Registered ID:2\.999\.(10|20)/);
    }
    const tls = text(path('dptls').certificateDer);
    expect(tls).toMatch(/Extended Key Usage: critical\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(tls).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1/);
    expect(text(path('operator-client').certificateDer)).toMatch(/Extended Key Usage: critical\s+TLS Web Client Authentication\n/);
  });

  it('round-trips every certificate and the CRL through the protocol Certificate codec byte for byte', () => {
    for (const name of ['ci', 'eum', 'euicc', 'dpauth', 'dppb', 'dptls', 'dsauth', 'dstls', 'operator-client'] as const) {
      const der = h[name].certificate.der;
      expect(Certificate.encode(Certificate.decode(der)), name).toEqual(der);
    }
    expect(CertificateList.encode(CertificateList.decode(h.crl.der))).toEqual(h.crl.der);
  });
});

describe('files', () => {
  it('writes private keys with mode 0600 and lists every file', () => {
    const keys = files.filter((file) => file.endsWith('.key.pem'));
    expect(keys).toHaveLength(18);
    for (const key of keys) expect(statSync(key).mode & 0o777, key).toBe(PRIVATE_KEY_FILE_MODE);
  });

  it('refuses to overwrite an existing hierarchy unless forced, and loads it back', () => {
    expect(() => createDevelopmentPki(dir, { now, random, curves: ['nist'] })).toThrow(/--force/);
    const loaded = loadDevelopmentPki(dir);
    expect(loaded.hierarchies.brp?.euicc.certificate.der).toEqual(pki.hierarchies.brp?.euicc.certificate.der);
    const other = mkdtempSync(join(tmpdir(), 'zkesim-pki-'));
    try {
      createDevelopmentPki(other, { now, random, curves: ['nist'] });
      const replaced = createDevelopmentPki(other, { now, random, curves: ['nist'], force: true });
      expect(replaced.pki.hierarchies.nist?.ci.certificate.der).toEqual(loadDevelopmentPki(other).hierarchies.nist?.ci.certificate.der);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
