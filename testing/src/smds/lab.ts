// SM-DS test lab: a development PKI (CI, EUM, eUICC, DPauth/DPtls, DSauth/DStls, an operator client
// certificate) in a temp folder, SM-DSs started on it (a Root, optionally Alternatives behind it), an in-process
// eUICC issued by that PKI, an LPA (lpa-core's Lpa) on it, and an ES12/ES15 client presenting any of the PKI's
// certificates, or none.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEuicc, memoryStore, newEuiccState, systemEuiccDeps, type EuiccCard } from '@zkesim/euicc-sim';
import { Lpa, type LpaOptions } from '@zkesim/lpa-core';
import {
  createDevelopmentPki, generateKeyPair, issueDpTlsCertificate, serialNumberFromRandom, subjectKeyIdentifierOf, toPem, writePrivateKeyFile, type DevelopmentHierarchy,
} from '@zkesim/pki';
import { eidToBytes, es12Functions, es15Functions, renderRequest } from '@zkesim/protocol';
import { startSmdsServer, validateConfig, type RunningSmds, type SmdsConfig, type SmdsOverrides } from '@zkesim/sm-ds';
import { findFreePort } from '@zkesim/contracts';
import { bindSocket, type BoundSocket } from '@zkesim/rsp-server';
import { post, type PostResult } from '../smdp/https.js';

/**
 * A TCP port nobody listened on a moment ago, for an address that must refuse connections. A port a server
 * will listen on is bound first instead (rsp-server bindSocket), so that no other process takes it in between.
 */
export const freePort = findFreePort;

export type LabEntity = 'dptls' | 'dstls' | 'operator-client' | 'dpauth';

export interface SmdsLab {
  dir: string;
  pkiDir: string;
  eid: string;
  hierarchy: DevelopmentHierarchy;
  ciPemPath: string;
  /** PEM text of the CI, for LPA trust settings. */
  ciPem: string;
  /** POSTs a JSON body to an SM-DS path without a client certificate (as an LPA does). */
  post(address: string, path: string, body: Record<string, unknown>): Promise<PostResult>;
  /** POSTs a DER body on the ASN.1 binding (§6.6, `/gsma/rsp2/asn1`). */
  postDer(address: string, body: Uint8Array): Promise<PostResult>;
  /**
   * Starts an SM-DS on free ports, addressed as localhost:PORT (ES11) and localhost:PEERPORT (ES12/ES15,
   * `peerAddress`); `changes` edits its configuration first.
   */
  startSmds(name: string, changes?: (config: Record<string, unknown>) => void, overrides?: SmdsOverrides): Promise<RunningSmds & { address: string; peerAddress: string }>;
  /** A new in-process eUICC with the PKI's eUICC credential, its root SM-DS address set. */
  card(rootDsAddress: string): EuiccCard;
  openLpa(card: EuiccCard, options?: Partial<LpaOptions>): Promise<Lpa>;
  /**
   * Issues another SM-DP+'s CERT.DPtls (subject CN `commonName`) from the lab's CI, valid for a year from an hour ago
   * unless `validity` says otherwise; returns its entity name.
   */
  issueDpTls(commonName: string, validity?: { notBefore: Date; notAfter: Date }): string;
  /**
   * ES12 (or ES15) RegisterEvent/DeleteEvent to an SM-DS (by its address: a lab SM-DS's peer port is found from
   * it), presenting `as`'s TLS certificate or none.
   */
  es12(smdsAddress: string, fn: 'registerEvent' | 'deleteEvent', body: Record<string, unknown>, as: LabEntity | string, es15?: boolean): Promise<PostResult>;
  close(): Promise<void>;
}

export function createSmdsLab(): SmdsLab {
  const dir = mkdtempSync(join(tmpdir(), 'smds-lab-'));
  const pkiDir = join(dir, 'pki');
  const { pki } = createDevelopmentPki(pkiDir, { curves: ['nist'] });
  const hierarchy = pki.hierarchies.nist as DevelopmentHierarchy;
  const file = (name: string, kind: 'cert' | 'key'): string => join(pkiDir, 'nist', `${name}.${kind}.pem`);
  const servers: RunningSmds[] = [];
  const peerAddresses = new Map<string, string>();
  const ciPemPath = file('ci', 'cert');
  return {
    dir,
    pkiDir,
    eid: pki.eid,
    hierarchy,
    ciPemPath,
    ciPem: readFileSync(ciPemPath, 'utf8'),
    post: (address, path, body) => post(`https://${address}${path}`, JSON.stringify(body), { ca: ciPemPath, servername: 'localhost' }),
    postDer: (address, body) =>
      post(`https://${address}/gsma/rsp2/asn1`, body, { ca: ciPemPath, servername: 'localhost', headers: { 'Content-Type': 'application/x-gsma-rsp-asn1' } }),
    async startSmds(name, changes, overrides = {}) {
      // Bound now, before the configuration names them (its address holds the port); the SM-DS serves these sockets.
      const bound = [await bindSocket('127.0.0.1'), await bindSocket('127.0.0.1')] as const;
      const [port, peerPort] = bound.map((socket) => socket.port) as [number, number];
      const values: Record<string, unknown> = {
        address: `localhost:${port}`,
        port,
        peerPort,
        tlsCertificate: file('dstls', 'cert'),
        tlsKey: file('dstls', 'key'),
        credentials: [{ ciCertificate: ciPemPath, dsAuthCertificate: file('dsauth', 'cert'), dsAuthKey: file('dsauth', 'key') }],
        crls: [hierarchy.crlPath],
        clientCis: [ciPemPath],
        storage: { path: join(dir, `${name}.db`) },
        logLevel: 'silent',
        admin: { enabled: false },
      };
      changes?.(values);
      const release = (socket: BoundSocket) => socket.close();
      let running: RunningSmds;
      try {
        running = await startSmdsServer(validateConfig(values, `lab ${name}`) as SmdsConfig, {
          boundSockets: new Map(bound.map((socket) => [socket.port, socket.socket])),
          ...overrides,
        });
      } catch (error) {
        // The servers that did start have closed their sockets; the others are released.
        await Promise.all(bound.map(release));
        throw error;
      }
      // A socket whose port `changes` replaced was not taken over.
      await Promise.all(bound.filter((socket) => socket.port !== values.port && socket.port !== values.peerPort).map(release));
      servers.push(running);
      const peerAddress = `localhost:${running.peerPort}`;
      peerAddresses.set(values.address as string, peerAddress);
      return { ...running, address: values.address as string, peerAddress };
    },
    card(rootDsAddress) {
      const h = hierarchy;
      const ciPKId = subjectKeyIdentifierOf(h.ci.certificate) as Uint8Array;
      const state = newEuiccState({
        eid: eidToBytes(pki.eid),
        credentials: [
          {
            curve: 'P-256',
            ciPKId,
            euiccCertificate: h.euicc.certificate.der,
            eumCertificate: h.eum.certificate.der,
            privateKey: new Uint8Array(h.euicc.privateKey.export({ format: 'der', type: 'pkcs8' })),
          },
        ],
        trustedCiCertificates: [h.ci.certificate.der],
        rootDsAddress,
      });
      return createEuicc({ state, deps: systemEuiccDeps(memoryStore()) });
    },
    openLpa(card, options = {}) {
      return Lpa.open({ transport: card, https: { trustedCertificates: [readFileSync(ciPemPath, 'utf8')], resolve: { localhost: '127.0.0.1' } }, ...options });
    },
    issueDpTls(commonName, validity) {
      const name = `dptls-${commonName.replace(/[^a-z0-9]/gi, '')}`;
      const keys = generateKeyPair(hierarchy.curve === 'nist' ? 'P-256' : 'brainpoolP256r1');
      const now = Date.now();
      const certificate = issueDpTlsCertificate({
        serialNumber: serialNumberFromRandom(new Uint8Array(randomBytes(16))),
        notBefore: validity?.notBefore ?? new Date(now - 3600_000),
        notAfter: validity?.notAfter ?? new Date(now + 365 * 24 * 3600_000),
        ci: { certificate: hierarchy.ci.certificate, signer: hierarchy.ci.signer },
        publicKey: keys.publicKey,
        organization: 'other',
        commonName,
        registeredId: '2.999.10',
        dnsNames: [commonName],
      });
      writeFileSync(file(name, 'cert'), toPem(certificate.der, 'CERTIFICATE'));
      writePrivateKeyFile(file(name, 'key'), keys.privateKey);
      return name;
    },
    es12(smdsAddress, fn, body, as, es15 = false) {
      const fns = es15 ? es15Functions : es12Functions;
      const header = { functionRequesterIdentifier: 'lab', functionCallIdentifier: `${fn}-${Date.now()}` };
      const text = JSON.stringify(renderRequest(fns[fn], { header, ...body } as never));
      return post(`https://${peerAddresses.get(smdsAddress) ?? smdsAddress}${fns[fn].path}`, text, {
        ca: ciPemPath,
        servername: 'localhost',
        ...(as === 'none' ? {} : { cert: file(as, 'cert'), key: file(as, 'key') }),
      });
    },
    async close() {
      await Promise.all(servers.map((server) => server.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
