// `zkesim conformance smdp|euicc`: runs a case set against someone's server or card and writes the reports.
import { writeFileSync } from 'node:fs';
import { euiccLocatorUsage, openCard, parseEuiccLocator, parseResolveEntry, type ExtraTransports } from '@zkesim/lpa-core';
import { Command, InvalidArgumentError } from 'commander';
import type { CaseResult } from './runner/model.js';
import { exitCodeOf } from './runner/run.js';
import { readFixtures } from './runner/fixtures.js';
import { progressLine, summaryLine } from './report/progress.js';
import { junitXml } from './report/junit.js';
import { htmlReport } from './report/html.js';
import { runSmdpConformance } from './smdp/runSmdp.js';
import { DEFAULT_SGP26_DIR, sgp26IdentityFiles } from './smdp/card.js';
import { loadServerCredentials, runEuiccConformance, sgp26ServerFiles } from './euicc/runEuicc.js';
import { runSmdsConformance } from './smds/runSmds.js';

interface ReportOptions {
  only?: string;
  junit?: string;
  html?: string;
  timeout: number;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer (milliseconds)');
  return n;
};

function writeReports(results: readonly CaseResult[], options: ReportOptions, target: string): void {
  process.stdout.write(`${summaryLine(results)}\n`);
  if (options.junit !== undefined) writeFileSync(options.junit, junitXml(results));
  if (options.html !== undefined) writeFileSync(options.html, htmlReport(results, { title: `zkesim conformance: ${target}`, target, generatedAt: new Date() }));
  process.exitCode = exitCodeOf(results);
}

function resolveEntries(entries: readonly string[] | undefined): Record<string, string> {
  const resolve: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const parsed = parseResolveEntry(entry);
    if (parsed === undefined) throw new Error(`--resolve ${entry}: expected HOST[:PORT]=IP[:PORT]`);
    resolve[parsed.key] = parsed.target;
  }
  return resolve;
}

/** Options given together or not at all. */
function together(options: Record<string, unknown>, names: readonly string[], flags: string): number {
  const given = names.filter((name) => options[name] !== undefined).length;
  if (given !== 0 && given !== names.length) throw new Error(`${flags} go together`);
  return given;
}

const progress = {
  onResult: (result: CaseResult, index: number, count: number) => process.stdout.write(`${progressLine(result, index, count)}\n`),
};

/** `transports`: card schemes the application adds (the zkesim command adds `sim:STATEFILE`). */
export function registerCommands(program: Command, context: { transports?: ExtraTransports } = {}): void {
  const transports = context.transports ?? {};
  const conformance = program.command('conformance').description('conformance cases against an SM-DP+, an SM-DS or an eUICC (verdicts: pass, fail, inconclusive)');
  conformance
    .command('smdp')
    .description('ES9+ (and ES2+) cases against an SM-DP+, playing the LPA and the eUICC')
    .requiredOption('--url <url>', 'ES9+ base URL, https://HOST[:PORT]')
    .option('--smdp-address <address>', 'SM-DP+ address sent in InitiateAuthentication (default: HOST[:PORT] of --url)')
    .requiredOption('--ci <file>', 'CI certificate (PEM or DER) the SM-DP+ certificates chain to')
    .option('--euicc-cert <file>', 'CERT.EUICC of the played eUICC (default: the SGP.26 test eUICC)')
    .option('--eum-cert <file>', 'CERT.EUM of the played eUICC')
    .option('--euicc-key <file>', 'SK.EUICC of the played eUICC (PEM)')
    .option('--sgp26 <dir>', 'folder of the SGP.26 test PKI for the default eUICC', DEFAULT_SGP26_DIR)
    .option('--other-euicc-cert <file>', 'CERT.EUICC of a second played eUICC of another EID (an order bound to one EID asked for by another)')
    .option('--other-eum-cert <file>', 'CERT.EUM of the second eUICC')
    .option('--other-euicc-key <file>', 'SK.EUICC of the second eUICC (PEM)')
    .option('--es2-url <url>', 'ES2+ base URL (makes fixtures and runs the ES2+ cases)')
    .option('--es2-cert <file>', 'operator client certificate for ES2+ (PEM)')
    .option('--es2-key <file>', 'operator client key for ES2+ (PEM)')
    .option('--es2-requester <id>', 'functionRequesterIdentifier for ES2+', 'operator')
    .option('--profile-type <type>', 'profile type ES2+ DownloadOrder asks for', 'TS48V1-A-UNIQUE')
    .option('--fixtures <file>', 'JSON file of prepared orders: { "fixtures": [ { "kind", "matchingId", "confirmationCode"? } ] }')
    .option('--resolve <host[:port]=ip[:port]>', 'connect to this address for the host (repeatable)', collect)
    .option('--only <pattern>', 'comma-separated globs (or substrings) over case ids and SGP.23 identifiers')
    .option('--timeout <ms>', 'per-case timeout', positive, 20_000)
    .option('--request-timeout <ms>', 'per-request timeout (no answer within it: the step fails)', positive, 10_000)
    .option('--junit <file>', 'write JUnit XML')
    .option('--html <file>', 'write the HTML report')
    .action(async (options: ReportOptions & { requestTimeout: number } & Record<string, string | string[] | number | undefined>) => {
      const resolve = resolveEntries(options.resolve as string[] | undefined);
      const own = together(options, ['euiccCert', 'eumCert', 'euiccKey'], '--euicc-cert, --eum-cert and --euicc-key');
      const es2Given = together(options, ['es2Url', 'es2Cert', 'es2Key'], '--es2-url, --es2-cert and --es2-key');
      const second = together(options, ['otherEuiccCert', 'otherEumCert', 'otherEuiccKey'], '--other-euicc-cert, --other-eum-cert and --other-euicc-key');
      const results = await runSmdpConformance({
        url: String(options.url),
        ciFile: String(options.ci),
        ...(options.smdpAddress === undefined ? {} : { smdpAddress: String(options.smdpAddress) }),
        identity: own === 3 ? { euiccCertificate: String(options.euiccCert), eumCertificate: String(options.eumCert), euiccKey: String(options.euiccKey) } : sgp26IdentityFiles(String(options.sgp26)),
        ...(second === 3 ? { otherIdentity: { euiccCertificate: String(options.otherEuiccCert), eumCertificate: String(options.otherEumCert), euiccKey: String(options.otherEuiccKey) } } : {}),
        fixtures: options.fixtures === undefined ? [] : readFixtures(String(options.fixtures)),
        resolve,
        defaultTimeoutMs: options.timeout,
        requestTimeoutMs: options.requestTimeout,
        ...(options.only === undefined ? {} : { only: options.only }),
        ...(es2Given === 3
          ? { es2: { url: String(options.es2Url), certificate: String(options.es2Cert), key: String(options.es2Key), requester: String(options.es2Requester), profileType: String(options.profileType) } }
          : {}),
        ...progress,
      });
      writeReports(results, options, 'smdp');
    });

  conformance
    .command('smds')
    .description('ES11 (and, with SM-DP+ credentials, ES12) cases against an SM-DS, playing the LPA, the eUICC and the SM-DP+')
    .requiredOption('--url <url>', 'SM-DS base URL, https://HOST[:PORT]')
    .option('--smds-address <address>', 'SM-DS address sent in InitiateAuthentication (default: HOST[:PORT] of --url)')
    .option('--es12-url <url>', 'where the SM-DS serves ES12, https://HOST[:PORT] (default: --url)')
    .requiredOption('--ci <file>', 'CI certificate (PEM or DER) the SM-DS certificates chain to')
    .option('--euicc-cert <file>', 'CERT.EUICC of the played eUICC (default: the SGP.26 test eUICC)')
    .option('--eum-cert <file>', 'CERT.EUM of the played eUICC')
    .option('--euicc-key <file>', 'SK.EUICC of the played eUICC (PEM)')
    .option('--sgp26 <dir>', 'folder of the SGP.26 test PKI for the default eUICC', DEFAULT_SGP26_DIR)
    .option('--smdp-cert <file>', 'CERT.DPtls (PEM) presented on ES12 (runs the ES12 cases)')
    .option('--smdp-key <file>', 'its key (PEM)')
    .option('--other-smdp-cert <file>', "a second SM-DP+'s CERT.DPtls (PEM), for deleting another SM-DP+'s event")
    .option('--other-smdp-key <file>', 'its key (PEM)')
    .option('--wrong-role-cert <file>', 'a certificate of another RSP role under the same CI (e.g. CERT.DStls, PEM), which ES12 must refuse')
    .option('--wrong-role-key <file>', 'its key (PEM)')
    .option('--requester <id>', 'functionRequesterIdentifier for ES12', 'conformance')
    .option('--resolve <host[:port]=ip[:port]>', 'connect to this address for the host (repeatable)', collect)
    .option('--only <pattern>', 'comma-separated globs (or substrings) over case ids and SGP.23 identifiers')
    .option('--timeout <ms>', 'per-case timeout', positive, 20_000)
    .option('--request-timeout <ms>', 'per-request timeout (no answer within it: the step fails)', positive, 10_000)
    .option('--junit <file>', 'write JUnit XML')
    .option('--html <file>', 'write the HTML report')
    .action(async (options: ReportOptions & { requestTimeout: number } & Record<string, string | string[] | number | undefined>) => {
      const own = together(options, ['euiccCert', 'eumCert', 'euiccKey'], '--euicc-cert, --eum-cert and --euicc-key');
      const smdp = together(options, ['smdpCert', 'smdpKey'], '--smdp-cert and --smdp-key');
      const other = together(options, ['otherSmdpCert', 'otherSmdpKey'], '--other-smdp-cert and --other-smdp-key');
      const wrongRole = together(options, ['wrongRoleCert', 'wrongRoleKey'], '--wrong-role-cert and --wrong-role-key');
      const results = await runSmdsConformance({
        url: String(options.url),
        ciFile: String(options.ci),
        ...(options.smdsAddress === undefined ? {} : { smdsAddress: String(options.smdsAddress) }),
        ...(options.es12Url === undefined ? {} : { es12Url: String(options.es12Url) }),
        identity: own === 3 ? { euiccCertificate: String(options.euiccCert), eumCertificate: String(options.eumCert), euiccKey: String(options.euiccKey) } : sgp26IdentityFiles(String(options.sgp26)),
        ...(smdp === 2 ? { smdp: { certificate: String(options.smdpCert), key: String(options.smdpKey) } } : {}),
        ...(other === 2 ? { otherSmdp: { certificate: String(options.otherSmdpCert), key: String(options.otherSmdpKey) } } : {}),
        ...(wrongRole === 2 ? { wrongRole: { certificate: String(options.wrongRoleCert), key: String(options.wrongRoleKey) } } : {}),
        requester: String(options.requester),
        resolve: resolveEntries(options.resolve as string[] | undefined),
        defaultTimeoutMs: options.timeout,
        requestTimeoutMs: options.requestTimeout,
        ...(options.only === undefined ? {} : { only: options.only }),
        ...progress,
      });
      writeReports(results, options, 'smds');
    });

  conformance
    .command('euicc')
    .description('ES10a/b/c cases against an eUICC, limited to what an LPA can exercise safely')
    .requiredOption('--euicc <locator>', `the card: ${euiccLocatorUsage(transports).join(' | ')}`)
    .option('--sgp26 <dir>', 'folder of the SGP.26 test PKI (the SM-DP+ credentials the runner signs with)', DEFAULT_SGP26_DIR)
    .option('--server-address <address>', 'SM-DP+ address the runner puts in serverSigned1', 'testsmdpplus1.example.com')
    .option('--destructive', 'also run the cases that change the card beyond a session (eUICCMemoryReset of the operational profiles)')
    .option('--only <pattern>', 'comma-separated globs (or substrings) over case ids and SGP.23 identifiers')
    .option('--timeout <ms>', 'per-case timeout', positive, 20_000)
    .option('--junit <file>', 'write JUnit XML')
    .option('--html <file>', 'write the HTML report')
    .action(async (options: ReportOptions & { euicc: string; sgp26: string; serverAddress: string; destructive?: boolean }) => {
      const card = await openCard(parseEuiccLocator(options.euicc, transports), transports);
      try {
        const results = await runEuiccConformance({
          card,
          server: loadServerCredentials(sgp26ServerFiles(options.sgp26), options.serverAddress),
          destructive: options.destructive === true,
          defaultTimeoutMs: options.timeout,
          ...(options.only === undefined ? {} : { only: options.only }),
          ...progress,
        });
        writeReports(results, options, 'euicc');
      } finally {
        await card.close();
      }
    });
}
