// Why SK.DPtls needs a TLS terminator to stay in the token (SECURITY.md, "Keys in an HSM"): Node's own TLS,
// given the token key through the libp11 OpenSSL engine (`privateKeyEngine`, `privateKeyIdentifier`), builds a
// context but cannot sign a handshake with it. When a Node release can, this test fails: then SK.DPtls can move
// into the SM-DP+'s own listener, and SECURITY.md and the terminator recipe must change with it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createSecureContext, createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentOids, loadEntity, toPem } from '@zkesim/pki';
import { systemRandom } from '@zkesim/rsp-server';
import { createSoftHsm, softHsmAvailable, type SoftHsm } from '@zkesim/testing/smdp/softhsm';
import { sgp26, smdpHost } from '@zkesim/testing/smdp/testPki';
import { LIBP11_ENGINE, tlsTerminatorAvailable } from '@zkesim/testing/smdp/tlsTerminator';
import { Pkcs11Token } from '../src/adapters/pkcs11/pkcs11Token.js';
import { issueTokenTlsCertificate } from '../src/adapters/pkcs11/tokenCredentials.js';

const available = softHsmAvailable() && tlsTerminatorAvailable();
let hsm: SoftHsm;
let certificate: string;

beforeAll(() => {
  if (!available) return;
  hsm = createSoftHsm();
  const ci = loadEntity(sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.pem'), sgp26('CertificateIssuer/SK_CI_ECDSA_NIST.pem'));
  const token = Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
  try {
    const dpTls = issueTokenTlsCertificate({
      token, ci, curve: 'P-256', label: 'dptls', dnsNames: [smdpHost], registeredId: developmentOids.smdpPlus, organization: 'zkesim', now: new Date(Date.now() - 60_000), validityDays: 30, random: systemRandom,
    });
    certificate = toPem(dpTls.der, 'CERTIFICATE');
  } finally {
    token.close();
  }
  writeFileSync(join(hsm.dir, 'pin'), hsm.pin, { mode: 0o600 });
});
afterAll(() => hsm?.cleanup());

describe.skipIf(!available)("Node's TLS and a token key", () => {
  it('fails the handshake with the libp11 engine key (no suitable signature algorithm / no shared cipher)', async () => {
    // By id ('pkcs11') Node's bundled OpenSSL does not find the engine (its own engines folder); by path it loads.
    const context = createSecureContext({
      cert: certificate,
      privateKeyEngine: LIBP11_ENGINE,
      privateKeyIdentifier: `pkcs11:token=${hsm.tokenLabel};object=dptls;type=private?pin-source=file:${join(hsm.dir, 'pin')}`,
    });
    const serverErrors: string[] = [];
    const server: Server = createServer({ secureContext: context }, (socket) => socket.end('reached'));
    server.on('tlsClientError', (error) => serverErrors.push(error.message));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, servername: smdpHost, ca: readFileSync(sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.pem')) }, () => {
        resolve('handshake completed');
        socket.end();
      });
      socket.on('error', (error) => resolve(error.message));
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(outcome).not.toBe('handshake completed');
    expect(serverErrors.join(' ')).toMatch(/no suitable signature algorithm|no shared cipher/);
  });
});
