import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseCrl } from '../crl/RspCrl.js';
import { issueCrl } from '../crl/issueCrl.js';
import { revokeCertificate } from '../crl/revoke.js';
import { toHex } from '@zkesim/protocol';
import { loadEntity, readCertificateFile } from '../entity.js';
import { PkiUsageError } from '../errors.js';
import { collect, parsePositiveInteger, parseTime } from './options.js';

const DAY_MS = 24 * 3600 * 1000;

interface IssueCrlOptions {
  issuerCert: string;
  issuerKey: string;
  out: string;
  number: number;
  nextUpdateDays: number;
  at?: Date;
  revoke?: string[];
  force?: boolean;
}

interface RevokeOptions {
  crl: string;
  issuerCert: string;
  issuerKey: string;
  cert?: string;
  serial?: string;
  at?: Date;
  nextUpdateDays: number;
  out?: string;
}

function serialToRevoke(options: RevokeOptions): Uint8Array {
  if ((options.cert === undefined) === (options.serial === undefined)) throw new PkiUsageError('give exactly one of --cert and --serial');
  if (options.cert !== undefined) return readCertificateFile(options.cert).serialNumber;
  const hex = options.serial ?? '';
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new PkiUsageError('--serial must be the serial number as hex octets, e.g. 0100');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** `zkesim pki issue-crl` and `zkesim pki revoke`: the CRL flow (SGP.22 v2.2.2 §4.5.2.2). */
export function registerCrl(pki: Command): void {
  pki
    .command('issue-crl')
    .description('issue a CRL signed by a CI (or sub-CA with cRLSign)')
    .requiredOption('--issuer-cert <file>', 'issuer certificate')
    .requiredOption('--issuer-key <file>', 'issuer private key (PEM)')
    .requiredOption('--out <file>', 'where to write the DER CRL')
    .option('--number <n>', 'cRLNumber', parsePositiveInteger, 1)
    .option('--next-update-days <days>', 'days until nextUpdate', parsePositiveInteger, 30)
    .option('--at <time>', 'thisUpdate and revocation date, ISO 8601 (default: now)', parseTime)
    .option('--revoke <cert>', 'certificate to list as revoked (repeatable)', collect)
    .option('--force', 'overwrite --out')
    .action((options: IssueCrlOptions) => {
      if (existsSync(options.out) && options.force !== true) throw new PkiUsageError(`${options.out} exists; use --force`);
      const issuer = loadEntity(options.issuerCert, options.issuerKey);
      const at = options.at ?? new Date();
      const revoked = (options.revoke ?? []).map((path) => ({ serialNumber: readCertificateFile(path).serialNumber, revocationDate: at }));
      const crl = issueCrl({ issuer, thisUpdate: at, nextUpdate: new Date(at.getTime() + options.nextUpdateDays * DAY_MS), crlNumber: options.number, revoked });
      writeFileSync(options.out, crl.der);
      process.stdout.write(`wrote ${options.out} (cRLNumber ${options.number}, ${revoked.length} revoked, nextUpdate ${crl.nextUpdate?.toISOString() ?? ''})\n`);
    });

  pki
    .command('revoke')
    .description('add a certificate to a CRL and re-issue it with the next cRLNumber')
    .requiredOption('--crl <file>', 'the current CRL (DER)')
    .requiredOption('--issuer-cert <file>', 'issuer certificate')
    .requiredOption('--issuer-key <file>', 'issuer private key (PEM)')
    .option('--cert <file>', 'certificate to revoke')
    .option('--serial <hex>', 'serial number to revoke, as hex')
    .option('--at <time>', 'revocation date and thisUpdate, ISO 8601 (default: now)', parseTime)
    .option('--next-update-days <days>', 'days until nextUpdate', parsePositiveInteger, 30)
    .option('--out <file>', 'where to write the new CRL (default: replace --crl)')
    .action((options: RevokeOptions) => {
      const serialNumber = serialToRevoke(options);
      const issuer = loadEntity(options.issuerCert, options.issuerKey);
      const at = options.at ?? new Date();
      const crl = revokeCertificate({
        crl: parseCrl(readFileSync(options.crl)), issuer, serialNumber, at, nextUpdate: new Date(at.getTime() + options.nextUpdateDays * DAY_MS),
      });
      const out = options.out ?? options.crl;
      writeFileSync(out, crl.der);
      process.stdout.write(`wrote ${out}: serial ${toHex(serialNumber)} revoked (cRLNumber ${String(crl.crlNumber)}, ${crl.revoked.size} revoked)\n`);
    });
}
