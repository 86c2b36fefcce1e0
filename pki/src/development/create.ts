// Creates a complete development RSP hierarchy on disk (adapter: writes files, reads the clock and
// randomness it is given). `zkesim pki init` calls this.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eidWithCheckDigits } from '@zkesim/protocol';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { toPem } from '../certificate/pem.js';
import { issueCrl } from '../crl/issueCrl.js';
import { PkiUsageError } from '../errors.js';
import { curveOfLabel, type CurveLabel } from '../keys/curves.js';
import { generateKeyPair, writePrivateKeyFile, type KeyPair } from '../keys/keyFile.js';
import { createKeyObjectSigner } from '../keys/signer.js';
import { issueCiCertificate } from '../issue/ci.js';
import { issueClientCertificate } from '../issue/client.js';
import type { IssuingCa } from '../issue/common.js';
import { issueEuiccCertificate } from '../issue/euicc.js';
import { issueEumCertificate } from '../issue/eum.js';
import { serialNumberFromRandom } from '../issue/issueCertificate.js';
import { issueDpAuthCertificate, issueDpPbCertificate, issueDpTlsCertificate } from '../issue/smdpplus.js';
import { issueDsAuthCertificate, issueDsTlsCertificate } from '../issue/smds.js';
import { developmentOids } from '../oids.js';
import { loadDevelopmentPki, type DevelopmentPki } from './load.js';
import { MANIFEST_FILE, crlPath, entityPaths, type DevelopmentManifest, type EntityName } from './layout.js';

export interface DevelopmentPkiOptions {
  readonly curves?: readonly CurveLabel[];
  /** Replace an existing hierarchy in `dir`. */
  readonly force?: boolean;
  /** Defaults to the development EIN 89001012 (not a real EUM). */
  readonly permittedEins?: readonly string[];
  /** Defaults to 89001012 + zeros + 1 with check digits. */
  readonly eid?: string;
  /** SAN dNSName/iPAddress of the TLS certificates; default localhost and 127.0.0.1. */
  readonly hostnames?: readonly string[];
  /** Clock and randomness; default the wall clock and node:crypto. */
  readonly now?: Date;
  readonly random?: (length: number) => Uint8Array;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const DEFAULT_EIN = '89001012';

function isIpAddress(name: string): boolean {
  return /^[0-9.]+$/.test(name) || name.includes(':');
}

function writeEntity(dir: string, curveName: CurveLabel, name: EntityName, certificate: RspCertificate, keys: KeyPair, force: boolean): string[] {
  const paths = entityPaths(dir, curveName, name);
  writeFileSync(paths.certificateDer, certificate.der);
  writeFileSync(paths.certificatePem, toPem(certificate.der, 'CERTIFICATE'));
  writePrivateKeyFile(paths.key, keys.privateKey, { overwrite: force });
  return [paths.certificateDer, paths.certificatePem, paths.key];
}

function createHierarchy(dir: string, curveName: CurveLabel, settings: Required<Omit<DevelopmentPkiOptions, 'curves'>>): string[] {
  const curve = curveOfLabel[curveName];
  const { now, random, hostnames } = settings;
  const notBefore = new Date(now.getTime() - 3600 * 1000);
  const base = (years: number) => ({ serialNumber: serialNumberFromRandom(random(16)), notBefore, notAfter: new Date(now.getTime() + years * YEAR_MS) });
  const crlUrls = [`http://ci.zkesim.test/${curveName}/ci.crl`];
  const written: string[] = [];
  mkdirSync(join(dir, curveName), { recursive: true, mode: 0o700 });

  const ciKeys = generateKeyPair(curve);
  const ciSigner = createKeyObjectSigner(ciKeys.privateKey, ciKeys.publicKey);
  const ciSubject = [{ type: 'CN', value: 'zkesim development CI' }, { type: 'O', value: 'zkesim' }, { type: 'C', value: 'ZZ' }] as const;
  const ciCertificate = issueCiCertificate({ ...base(30), signer: ciSigner, subject: ciSubject, registeredId: developmentOids.ci, crlUrls });
  const ci: IssuingCa = { certificate: ciCertificate, signer: ciSigner };
  written.push(...writeEntity(dir, curveName, 'ci', ciCertificate, ciKeys, settings.force));

  const eumKeys = generateKeyPair(curve);
  const eumCertificate = issueEumCertificate({
    ...base(30), ci, publicKey: eumKeys.publicKey, country: 'ZZ', organization: 'zkesim EUM', commonName: 'zkesim development EUM',
    permittedEins: settings.permittedEins, registeredId: developmentOids.eum, crlUrls,
  });
  written.push(...writeEntity(dir, curveName, 'eum', eumCertificate, eumKeys, settings.force));

  const euiccKeys = generateKeyPair(curve);
  const eum: IssuingCa = { certificate: eumCertificate, signer: createKeyObjectSigner(eumKeys.privateKey, eumKeys.publicKey) };
  const euiccCertificate = issueEuiccCertificate({
    serialNumber: serialNumberFromRandom(random(16)), notBefore, eum, publicKey: euiccKeys.publicKey, eid: settings.eid, country: 'ZZ', commonName: 'zkesim eUICC',
  });
  written.push(...writeEntity(dir, curveName, 'euicc', euiccCertificate, euiccKeys, settings.force));

  const tlsNames = { dnsNames: hostnames.filter((name) => !isIpAddress(name)), ipAddresses: hostnames.filter(isIpAddress) };
  const servers = [
    ['dpauth', issueDpAuthCertificate, developmentOids.smdpPlus, 'zkesim SM-DP+', {}],
    ['dppb', issueDpPbCertificate, developmentOids.smdpPlus, 'zkesim SM-DP+', {}],
    ['dptls', issueDpTlsCertificate, developmentOids.smdpPlus, hostnames[0] ?? 'localhost', tlsNames],
    ['dsauth', issueDsAuthCertificate, developmentOids.smds, 'zkesim SM-DS', {}],
    ['dstls', issueDsTlsCertificate, developmentOids.smds, hostnames[0] ?? 'localhost', tlsNames],
  ] as const;
  for (const [name, issue, registeredId, commonName, names] of servers) {
    const keys = generateKeyPair(curve);
    const certificate = issue({ ...base(5), ...names, ci, publicKey: keys.publicKey, organization: 'zkesim', commonName, registeredId, crlUrls });
    written.push(...writeEntity(dir, curveName, name, certificate, keys, settings.force));
  }

  const clientKeys = generateKeyPair(curve);
  const client = issueClientCertificate({ ...base(5), ci, publicKey: clientKeys.publicKey, organization: 'zkesim operator', commonName: 'zkesim ES2+ client' });
  written.push(...writeEntity(dir, curveName, 'operator-client', client, clientKeys, settings.force));

  const crl = issueCrl({ issuer: ci, thisUpdate: notBefore, nextUpdate: new Date(now.getTime() + YEAR_MS), crlNumber: 1, revoked: [] });
  writeFileSync(crlPath(dir, curveName), crl.der);
  written.push(crlPath(dir, curveName));
  return written;
}

/**
 * Creates CI, EUM, one eUICC, SM-DP+ (DPauth, DPpb, DPtls), SM-DS (DSauth, DStls) and an operator ES2+
 * client certificate per curve under `dir`, plus an empty CI CRL and `pki.json`. Refuses to write over
 * an existing hierarchy unless `force`. Returns the loaded hierarchy and every file written.
 */
export function createDevelopmentPki(dir: string, options: DevelopmentPkiOptions = {}): { pki: DevelopmentPki; files: string[] } {
  const curves = options.curves ?? ['nist', 'brp'];
  const force = options.force ?? false;
  const existing = [join(dir, MANIFEST_FILE), ...curves.map((curve) => join(dir, curve))].filter((path) => existsSync(path));
  if (existing.length > 0 && !force) throw new PkiUsageError(`${existing.join(', ')} already exist; use --force to replace the hierarchy`);
  const permittedEins = options.permittedEins ?? [DEFAULT_EIN];
  const settings = {
    force,
    permittedEins,
    eid: options.eid ?? eidWithCheckDigits(`${permittedEins[0] ?? DEFAULT_EIN}`.padEnd(29, '0') + '1'),
    hostnames: options.hostnames ?? ['localhost', '127.0.0.1'],
    now: options.now ?? new Date(),
    random: options.random ?? ((length: number) => new Uint8Array(randomBytes(length))),
  };
  if (!permittedEins.some((ein) => settings.eid.startsWith(ein))) {
    throw new PkiUsageError(`EID ${settings.eid} is outside the permitted EINs ${permittedEins.join(', ')}`);
  }
  // The folders hold the hierarchy's private keys (written 0600 by writePrivateKeyFile).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = curves.flatMap((curve) => createHierarchy(dir, curve, settings));
  const manifest: DevelopmentManifest = {
    format: 'zkesim-development-pki/1',
    curves: [...curves],
    eid: settings.eid,
    permittedEins: [...permittedEins],
    hostnames: [...settings.hostnames],
    createdAt: settings.now.toISOString(),
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  files.push(join(dir, MANIFEST_FILE));
  return { pki: loadDevelopmentPki(dir), files };
}
