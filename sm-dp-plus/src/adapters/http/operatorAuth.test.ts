// Operator identification from real client certificates (made with openssl by the test PKI helper).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { createOperatorIdentifier } from './operatorAuth.js';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki.cleanup());

/** The two things the identifier reads from a TLS socket: the peer certificate and OpenSSL's verdict. */
function peer(certPath: string, authorized: boolean): TLSSocket {
  const certificate = new X509Certificate(readFileSync(certPath));
  return { authorized, getPeerX509Certificate: () => certificate } as unknown as TLSSocket;
}

const clock = { now: () => Date.now() };

describe('ES2+ operator identification', () => {
  it('accepts a certificate chained to the operator CA only with the configured CN and clientAuth', () => {
    const ca = readFileSync(pki.operatorCa);
    expect(createOperatorIdentifier([{ operatorId: 'op', caCertificate: ca }], clock)(peer(pki.operatorCert, true))?.operatorId).toBe('op');
    expect(createOperatorIdentifier([{ operatorId: 'op', caCertificate: ca, commonName: 'operator' }], clock)(peer(pki.operatorCert, true))?.operatorId).toBe('op');
    expect(createOperatorIdentifier([{ operatorId: 'op', caCertificate: ca, commonName: 'other' }], clock)(peer(pki.operatorCert, true))).toBeUndefined();
    // Issued by the operator CA but for serverAuth only: not a client certificate.
    expect(createOperatorIdentifier([{ operatorId: 'op', caCertificate: ca }], clock)(peer(pki.callbackCert, true))).toBeUndefined();
    // OpenSSL did not verify the chain.
    expect(createOperatorIdentifier([{ operatorId: 'op', caCertificate: ca }], clock)(peer(pki.operatorCert, false))).toBeUndefined();
  });

  it('accepts a pinned certificate by SHA-256 fingerprint, verified by OpenSSL, and nothing else', () => {
    const fingerprint = new X509Certificate(readFileSync(pki.rogueCert)).fingerprint256;
    const identify = createOperatorIdentifier([{ operatorId: 'pinned', pinnedFingerprints: [fingerprint.toLowerCase()], pinnedIssuers: [readFileSync(pki.rogueCa)] }], clock);
    expect(identify(peer(pki.rogueCert, true))?.operatorId).toBe('pinned');
    expect(identify(peer(pki.rogueCert, false))).toBeUndefined();
    expect(identify(peer(pki.operatorCert, true))).toBeUndefined();
  });

  it('refuses a certificate outside its validity period', () => {
    const fingerprint = new X509Certificate(readFileSync(pki.rogueCert)).fingerprint256;
    const later = { now: () => Date.now() + 20 * 365 * 24 * 3600 * 1000 };
    expect(createOperatorIdentifier([{ operatorId: 'pinned', pinnedFingerprints: [fingerprint] }], later)(peer(pki.rogueCert, true))).toBeUndefined();
  });
});
