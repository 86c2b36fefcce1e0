// Runs the eUICC cases against one card: every eUICC an LPA can reach (a software eUICC, a card over TCP,
// stdio or PC/SC), one ES10 channel for the whole run.
import { loadEntity } from '@zkesim/pki';
import { Es10Channel } from '@zkesim/protocol';
import type { CardSession } from '@zkesim/lpa-core';
import type { CaseResult } from '../runner/model.js';
import { runCases, type RunOptions } from '../runner/run.js';
import { DEFAULT_SGP26_DIR } from '../smdp/card.js';
import { euiccCases } from './cases.js';
import type { EuiccEnv, ServerCredentials } from './env.js';

export interface ServerCredentialFiles {
  readonly ciCertificate: string;
  readonly ciKey: string;
  readonly dpAuthCertificate: string;
  readonly dpAuthKey: string;
  readonly dpPbCertificate: string;
  readonly dpPbKey: string;
}

/** The SGP.26 test SM-DP+ credentials (NIST). */
export function sgp26ServerFiles(dir = DEFAULT_SGP26_DIR): ServerCredentialFiles {
  return {
    ciCertificate: `${dir}/CertificateIssuer/CERT_CI_ECDSA_NIST.der`,
    ciKey: `${dir}/CertificateIssuer/SK_CI_ECDSA_NIST.pem`,
    dpAuthCertificate: `${dir}/DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der`,
    dpAuthKey: `${dir}/DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem`,
    dpPbCertificate: `${dir}/DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der`,
    dpPbKey: `${dir}/DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem`,
  };
}

export function loadServerCredentials(files: ServerCredentialFiles, serverAddress = 'testsmdpplus1.example.com'): ServerCredentials {
  const ci = loadEntity(files.ciCertificate, files.ciKey);
  const dpAuth = loadEntity(files.dpAuthCertificate, files.dpAuthKey);
  const dpPb = loadEntity(files.dpPbCertificate, files.dpPbKey);
  return {
    ci: ci.certificate,
    dpAuth: { certificate: dpAuth.certificate, key: dpAuth.privateKey },
    dpPb: { certificate: dpPb.certificate, key: dpPb.privateKey },
    serverAddress,
  };
}

export interface EuiccRunOptions extends Omit<RunOptions, 'target'> {
  readonly card: CardSession;
  readonly server: ServerCredentials;
  readonly destructive?: boolean;
}

export async function runEuiccConformance(options: EuiccRunOptions): Promise<CaseResult[]> {
  const channel = await withTimeout(Es10Channel.open(options.card.transport), options.defaultTimeoutMs ?? 20_000, 'the card did not open a channel to the ISD-R (MANAGE CHANNEL, SELECT)');
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
  return runCases(
    euiccCases(options.destructive ?? false),
    async (_testCase, t): Promise<EuiccEnv> => ({
      t,
      channel,
      server: options.server,
      destructive: options.destructive ?? false,
      send: async (title, command) => {
        try {
          const response = await channel.send(command, title);
          t.step(`ES10 ${title}`, { request: hex(command), response: hex(response) });
          return response;
        } catch (error) {
          t.step(`ES10 ${title}`, { request: hex(command), note: `no response: ${error instanceof Error ? error.message : String(error)}` });
          throw error;
        }
      },
    }),
    { ...options, target: 'euicc' },
  );
}

/** `promise`, or an error saying `what` when it takes longer than `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
