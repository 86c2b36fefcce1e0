import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { toHex } from '@zkesim/protocol';
import { policiesOf } from '../certificate/extensions.js';
import { describeName } from '../certificate/names.js';
import { parseCrl, type RspCrl } from '../crl/RspCrl.js';
import { derFromFileBytes } from '../certificate/pem.js';
import { readCertificateFile } from '../entity.js';
import { CertificateFormatError, CertificateRuleError, PkiUsageError, type CertificateRole } from '../errors.js';
import { certificateRoles, roleProfiles } from '../roles.js';
import { eidOf } from '../rules/permittedEins.js';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { validateChain } from '../validateChain.js';
import { collect, parseTime, printJson } from './options.js';

interface VerifyOptions {
  ci: string[];
  crl?: string[];
  at?: Date;
  role?: CertificateRole;
}

function readCrlFile(path: string): RspCrl {
  const [der] = derFromFileBytes(readFileSync(path), 'X509 CRL');
  if (der === undefined) throw new PkiUsageError(`${path}: no CRL in the file`);
  return parseCrl(der);
}

/** The role whose policy the certificate carries, when --role is not given. */
function inferRole(certificate: RspCertificate): CertificateRole {
  const policies = policiesOf(certificate);
  const role = certificateRoles.find((candidate) => {
    const policy = roleProfiles[candidate].policy;
    return policy !== undefined && policies.includes(policy);
  });
  if (role === undefined) throw new PkiUsageError('the certificate carries no id-rspRole policy; pass --role');
  return role;
}

function describeCertificate(certificate: RspCertificate, index: number) {
  const eid = eidOf(certificate);
  return {
    index,
    subject: describeName(certificate.tbsCertificate.subject),
    issuer: describeName(certificate.tbsCertificate.issuer),
    serialNumber: toHex(certificate.serialNumber),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    curve: certificate.curve,
    policies: policiesOf(certificate),
    ...(eid === undefined ? {} : { eid }),
  };
}

function run(files: string[], options: VerifyOptions): void {
  const [certificate, ...intermediates] = files.map(readCertificateFile);
  if (certificate === undefined) throw new PkiUsageError('no certificate to verify');
  const role = options.role ?? inferRole(certificate);
  const chain = validateChain({
    certificate,
    intermediates,
    trustedCis: options.ci.map(readCertificateFile),
    role,
    at: options.at ?? new Date(),
    crls: (options.crl ?? []).map(readCrlFile),
  });
  printJson({ valid: true, role, chain: chain.path.map(describeCertificate) });
}

/** `zkesim pki verify`: exit 0 and the chain as JSON, or exit 1 and the failed rule with its reason code. */
export function registerVerify(pki: Command): void {
  pki
    .command('verify')
    .description('validate CERT [INTERMEDIATE...] to a trusted CI for a role')
    .argument('<cert>', 'the end-entity certificate (DER or PEM)')
    .argument('[intermediates...]', 'certificates between it and the CI, issuer first (the EUM for an eUICC)')
    .requiredOption('--ci <file>', 'trusted CI certificate (repeatable)', collect)
    .option('--crl <file>', 'CRL to check revocation against (repeatable)', collect)
    .option('--at <time>', 'validation time, ISO 8601 (default: now)', parseTime)
    .addOption(new Option('--role <role>', 'role the certificate is used in (default: from its policy)').choices([...certificateRoles]))
    .action((cert: string, intermediates: string[], options: VerifyOptions) => {
      try {
        run([cert, ...intermediates], options);
      } catch (error) {
        if (error instanceof CertificateRuleError) {
          printJson({ rule: error.rule, reasonCode: error.reasonCode, subjectCode: error.subjectCode, certificateIndex: error.certificateIndex, message: error.message });
        } else if (error instanceof CertificateFormatError) {
          printJson({ rule: error.rule, reasonCode: error.reasonCode, message: error.message });
        } else {
          throw error;
        }
        process.exitCode = 1;
      }
    });
}
