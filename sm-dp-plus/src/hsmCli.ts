// `zkesim smdp hsm …`: put the SM-DP+'s signing keys into the PKCS#11 token that `signing` names (PIN in
// SMDP_PKCS11_PIN), then check the configuration as `serve` will. This file parses arguments and prints; the
// work is done by the signing adapter's functions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { curveNames, type CurveName } from '@zkesim/protocol';
import { developmentOids, loadEntity, readPrivateKeyFile, toPem } from '@zkesim/pki';
import { systemRandom } from '@zkesim/rsp-server';
import { smdpConfigError, type SmdpConfig } from './config.js';
import { Pkcs11Token } from './adapters/pkcs11/pkcs11Token.js';
import { issueTokenCredentials } from './adapters/pkcs11/tokenCredentials.js';
import { PKCS11_PIN_VARIABLE, openSigningKeys } from './adapters/signing/signingKeys.js';

interface ConfigOption {
  config?: string;
}

/** The token `signing` names, logged in with the PIN from the environment. */
function openConfiguredToken(config: SmdpConfig): Pkcs11Token {
  if (config.signing.kind !== 'pkcs11') throw smdpConfigError(config, 'signing.kind', 'must be pkcs11 for `zkesim smdp hsm`');
  const pin = process.env[PKCS11_PIN_VARIABLE];
  if (pin === undefined || pin === '') throw new Error(`set the token's user PIN in ${PKCS11_PIN_VARIABLE}`);
  return Pkcs11Token.open({ module: config.signing.module, tokenLabel: config.signing.tokenLabel, pin });
}

function withToken<T>(config: SmdpConfig, work: (token: Pkcs11Token) => T): T {
  const token = openConfiguredToken(config);
  try {
    return work(token);
  } finally {
    token.close();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function curveOption(text: string): CurveName {
  const curve = curveNames.find((name) => name === text);
  if (curve === undefined) throw new Error(`--curve must be ${curveNames.join(' or ')}`);
  return curve;
}

/** Adds `zkesim smdp hsm` under `smdp`; `configFrom` is how every smdp command finds its configuration. */
export function registerHsmCommands(smdp: Command, configFrom: (options: ConfigOption) => SmdpConfig): void {
  const hsm = smdp.command('hsm').description('signing keys in a PKCS#11 token (signing.kind pkcs11; PIN in SMDP_PKCS11_PIN)');
  hsm
    .command('init')
    .requiredOption('--ci-certificate <file>', 'certificate of the CI that certifies the keys (development PKI: <data>/pki/nist/ci.cert.pem)')
    .requiredOption('--ci-key <file>', "that CI's private key")
    .requiredOption('--out-dir <dir>', 'where dpauth.cert.pem and dppb.cert.pem are written')
    .option('--curve <curve>', 'P-256 or brainpoolP256r1', 'P-256')
    .option('--registered-id <oid>', 'the SM-DP+ OID (SAN registeredID)', developmentOids.smdpPlus)
    .option('--days <n>', 'certificate validity in days', '365')
    .option('-c, --config <file>', 'config file')
    .description('generate SK.DPauth and SK.DPpb inside the token (labels: credentials[0].dpAuthKeyLabel / dpPbKeyLabel, else dpauth / dppb) and issue their certificates')
    .action((options: ConfigOption & { ciCertificate: string; ciKey: string; outDir: string; curve: string; registeredId: string; days: string }) => {
      const config = configFrom(options);
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a positive whole number');
      const first = config.credentials[0];
      const labels = { dpAuth: first?.dpAuthKeyLabel ?? 'dpauth', dpPb: first?.dpPbKeyLabel ?? 'dppb' };
      const ci = loadEntity(resolve(options.ciCertificate), resolve(options.ciKey));
      const issued = withToken(config, (token) =>
        issueTokenCredentials({ token, ci, curve: curveOption(options.curve), labels, registeredId: options.registeredId, organization: 'zkesim', now: new Date(), validityDays: days, random: systemRandom }),
      );
      mkdirSync(resolve(options.outDir), { recursive: true });
      const dpAuthCertificate = join(resolve(options.outDir), 'dpauth.cert.pem');
      const dpPbCertificate = join(resolve(options.outDir), 'dppb.cert.pem');
      writeFileSync(dpAuthCertificate, toPem(issued.dpAuth.der, 'CERTIFICATE'));
      writeFileSync(dpPbCertificate, toPem(issued.dpPb.der, 'CERTIFICATE'));
      print({ credentials: [{ ciCertificate: resolve(options.ciCertificate), dpAuthCertificate, dpAuthKeyLabel: labels.dpAuth, dpPbCertificate, dpPbKeyLabel: labels.dpPb }] });
    });
  hsm
    .command('import')
    .requiredOption('--label <label>', 'CKA_LABEL the key gets in the token (a credential\'s dpAuthKeyLabel or dpPbKeyLabel)')
    .requiredOption('--key <file>', 'PEM private key file to move into the token (delete it afterwards)')
    .option('-c, --config <file>', 'config file')
    .description('store an existing key (a migration from key files) in the token, sensitive and not extractable')
    .action((options: ConfigOption & { label: string; key: string }) => {
      const { privateKey, publicKey } = readPrivateKeyFile(resolve(options.key));
      withToken(configFrom(options), (token) => token.importKeyPair(options.label, new TextEncoder().encode(options.label), privateKey, publicKey));
      print({ label: options.label, imported: true, next: `delete ${options.key}: the token holds the key now` });
    });
  hsm
    .command('check')
    .option('-c, --config <file>', 'config file')
    .description('open the token and find every credential key as `serve` does at start-up (PIN, token, labels, certificates)')
    .action((options: ConfigOption) => {
      const config = configFrom(options);
      const keys = openSigningKeys(config, process.env);
      try {
        print(config.credentials.map((_, index) => ({ credential: index, dpAuth: keys.credential(index, 'dpAuth').signer.curve, dpPb: keys.credential(index, 'dpPb').signer.curve })));
      } finally {
        keys.close();
      }
    });
}
