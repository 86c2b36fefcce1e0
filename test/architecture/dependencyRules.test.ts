// The dependency rules of .dependency-cruiser.cjs (run by `npm run lint`) still catch what they are for.
// A fixture tree in a temporary folder has the real layout (root package.json, tsconfig.json, the real
// config and every workspace's real package.json) and one small file per forbidden import; dependency-cruiser
// runs there as a process, exactly as `npm run lint:deps` runs it here, and each forbidden import must be
// reported under the name of the rule written for it. Deleting or loosening that rule fails this test.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const ROOT_PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[]; scripts: Record<string, string> };
const WORKSPACES = ROOT_PACKAGE.workspaces;

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function depcruise(cwd: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [DEPCRUISE, ...args], { cwd, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** The real layout without the real code: config files, package.json files, an empty src/index.ts each. */
function fixtureTree(edit?: (root: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'zkesim-depcruise-'));
  for (const file of ['package.json', 'tsconfig.json', '.dependency-cruiser.cjs']) copyFileSync(join(ROOT, file), join(root, file));
  for (const name of WORKSPACES) {
    write(root, `${name}/package.json`, readFileSync(join(ROOT, name, 'package.json'), 'utf8'));
    write(root, `${name}/src/index.ts`, 'export {};\n');
    mkdirSync(join(root, 'node_modules/@zkesim'), { recursive: true });
    symlinkSync(`../../${name}`, join(root, 'node_modules/@zkesim', name));
  }
  for (const peer of ['harness', 'lpa-core']) write(root, `testing/src/smdp/${peer}.ts`, 'export {};\n');
  write(root, 'config/src/privateFile.ts', 'export {};\n');
  // Two npm packages: one nobody declares, one the workspaces have as a devDependency only.
  for (const name of ['undeclared-package', 'vitest']) {
    write(root, `node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    write(root, `node_modules/${name}/index.js`, 'module.exports = {};\n');
  }
  edit?.(root);
  return root;
}

/** One file per forbidden import, and the rule that must report it. */
const FORBIDDEN: { file: string; imports: string; rule: string }[] = [
  { file: 'lpa-core/src/forbidden.ts', imports: '@zkesim/sm-dp-plus', rule: 'lpa-core-not-to-servers-cards-contracts-or-apps' },
  { file: 'lpa-core/test/forbidden.test.ts', imports: '@zkesim/euicc-sim', rule: 'lpa-core-not-to-servers-cards-contracts-or-apps' },
  { file: 'protocol/src/forbidden.ts', imports: '@zkesim/pki', rule: 'protocol-imports-no-workspace' },
  { file: 'pki/src/forbidden.ts', imports: '@zkesim/rsp-server', rule: 'pki-imports-only-protocol' },
  { file: 'rsp-server/src/forbidden.ts', imports: '@zkesim/sm-dp-plus', rule: 'rsp-server-imports-only-protocol-and-pki' },
  { file: 'euicc-sim/src/forbidden.ts', imports: '@zkesim/lpa-core', rule: 'euicc-sim-imports-only-protocol-and-pki' },
  // The card may make its state file private with config's helper, but not load a configuration.
  { file: 'euicc-sim/src/loader.ts', imports: '@zkesim/config', rule: 'euicc-sim-imports-only-protocol-and-pki' },
  { file: 'contracts/src/forbidden.ts', imports: '@zkesim/protocol', rule: 'contracts-imports-no-rsp-workspace' },
  // The conformance runner judges servers over HTTPS only, even through a declared dependency.
  { file: 'conformance/src/forbidden.ts', imports: '@zkesim/rsp-server', rule: 'conformance-tests-servers-as-black-box' },
  { file: 'sm-dp-plus/src/toApps.ts', imports: '@zkesim/apps', rule: 'library-not-to-apps' },
  { file: 'apps/src/toTesting.ts', imports: '@zkesim/testing/smdp/harness', rule: 'testing-only-from-tests-and-bench' },
  { file: 'sm-ds/src/toTesting.ts', imports: '@zkesim/testing/smdp/harness', rule: 'src-not-to-test-code' },
  // A test reaches peers only through testing/: the LPA and the card are peers of the SM-DP+'s tests.
  { file: 'sm-dp-plus/test/forbidden.test.ts', imports: '@zkesim/euicc-sim', rule: 'sm-dp-plus-workspace-not-in-package-json' },
  { file: 'sm-dp-plus/test/lpaPeer.test.ts', imports: '@zkesim/lpa-core', rule: 'sm-dp-plus-workspace-not-in-package-json' },
  // Library code imports only `dependencies`; testing is a devDependency of sm-dp-plus (its tests use it).
  { file: 'sm-dp-plus/src/forbidden.ts', imports: '@zkesim/testing/smdp/harness', rule: 'sm-dp-plus-src-workspace-not-in-dependencies' },
  { file: 'apps/src/climbs.ts', imports: '../../pki/src/index.js', rule: 'no-relative-import-out-of-package' },
  { file: 'sm-ds/src/npm.ts', imports: 'undeclared-package', rule: 'no-non-package-json' },
  { file: 'pki/src/devDependency.ts', imports: 'vitest', rule: 'not-to-dev-dep' },
  { file: 'rsp-server/src/unresolvable.ts', imports: './doesNotExist.js', rule: 'not-to-unresolvable' },
];

/** Imports the rules allow, in the same tree: none of them may be reported. */
const ALLOWED: { file: string; imports: string[] }[] = [
  { file: 'sm-dp-plus/test/allowed.test.ts', imports: ['@zkesim/testing/smdp/harness', '@zkesim/testing/smdp/lpa-core', '@zkesim/sm-dp-plus', '@zkesim/pki', 'vitest'] },
  { file: 'lpa-core/src/allowed.ts', imports: ['@zkesim/protocol', '@zkesim/pki'] },
  { file: 'euicc-sim/src/allowed.ts', imports: ['@zkesim/protocol', '@zkesim/pki', '@zkesim/config/privateFile'] },
  { file: 'conformance/src/allowed.ts', imports: ['@zkesim/protocol', '@zkesim/pki', '@zkesim/lpa-core', '@zkesim/euicc-sim'] },
  { file: 'apps/src/allowed.ts', imports: ['@zkesim/sm-dp-plus', '@zkesim/lpa-core', '@zkesim/euicc-sim', '@zkesim/contracts'] },
  { file: 'testing/src/allowed.ts', imports: ['@zkesim/apps', '@zkesim/sm-dp-plus'] },
];

const importLines = (specifiers: string[]): string => specifiers.map((specifier) => `import '${specifier}';\n`).join('') + 'export {};\n';

let fixture: string;
let cyclicPackages: string;
let violations: Violation[];
let packageCycleRun: Run;
let peerAsDevDependency: string;
let peerDevDependencyRun: Run;
let realTreeRun: Run;

beforeAll(async () => {
  fixture = fixtureTree((root) => {
    for (const { file, imports } of FORBIDDEN) write(root, file, importLines([imports]));
    for (const { file, imports } of ALLOWED) write(root, file, importLines(imports));
    write(root, 'pki/src/cycleA.ts', importLines(['./cycleB.js']));
    write(root, 'pki/src/cycleB.ts', importLines(['./cycleA.js']));
  });
  // sm-dp-plus depends on rsp-server; rsp-server declaring sm-dp-plus closes a package cycle.
  cyclicPackages = fixtureTree((root) => {
    const manifest = JSON.parse(readFileSync(join(root, 'rsp-server/package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    manifest.dependencies = { ...manifest.dependencies, '@zkesim/sm-dp-plus': '*' };
    write(root, 'rsp-server/package.json', JSON.stringify(manifest));
  });
  // A peer declared as a devDependency instead of being reached through testing/.
  peerAsDevDependency = fixtureTree((root) => {
    const manifest = JSON.parse(readFileSync(join(root, 'sm-dp-plus/package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    manifest.devDependencies = { ...manifest.devDependencies, '@zkesim/lpa-core': '*' };
    write(root, 'sm-dp-plus/package.json', JSON.stringify(manifest));
  });
  const lintArgs = (ROOT_PACKAGE.scripts['lint:deps'] ?? '').split(/\s+/).slice(1);
  const [fixtureRun, cycleRun, peerRun, realRun] = await Promise.all([
    depcruise(fixture, ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...WORKSPACES]),
    depcruise(cyclicPackages, ['--config', '.dependency-cruiser.cjs', ...WORKSPACES]),
    depcruise(peerAsDevDependency, ['--config', '.dependency-cruiser.cjs', ...WORKSPACES]),
    depcruise(ROOT, lintArgs),
  ]);
  expect(fixtureRun.stderr).toBe('');
  violations = (JSON.parse(fixtureRun.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  packageCycleRun = cycleRun;
  peerDevDependencyRun = peerRun;
  realTreeRun = realRun;
}, 120_000);

afterAll(() => {
  for (const root of [fixture, cyclicPackages, peerAsDevDependency]) if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

const rulesReportedFor = (file: string): string[] => violations.filter((violation) => violation.from === file).map((violation) => violation.rule.name);

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it.each(FORBIDDEN)('$file importing $imports breaks $rule', ({ file, rule }) => {
    expect(rulesReportedFor(file)).toContain(rule);
  });

  it('reports an import cycle between files as no-circular', () => {
    expect(rulesReportedFor('pki/src/cycleA.ts')).toContain('no-circular');
  });

  it('reports nothing for the imports the rules allow', () => {
    for (const { file } of ALLOWED) expect(rulesReportedFor(file), file).toEqual([]);
    expect(rulesReportedFor('pki/src/index.ts')).toEqual([]);
  });

  it('refuses package.json files that declare a cycle between workspaces', () => {
    expect(packageCycleRun.code).not.toBe(0);
    expect(packageCycleRun.stdout + packageCycleRun.stderr).toMatch(/no-package-cycle: .*rsp-server → sm-dp-plus → rsp-server|no-package-cycle: .*sm-dp-plus → rsp-server → sm-dp-plus/);
  });

  it('refuses a peer declared as a devDependency instead of reached through testing/', () => {
    expect(peerDevDependencyRun.code).not.toBe(0);
    expect(peerDevDependencyRun.stdout + peerDevDependencyRun.stderr).toMatch(/peer-not-through-testing: sm-dp-plus\/package.json declares the workspace\(s\) lpa-core/);
  });

  it('passes on the real tree, as npm run lint runs it', () => {
    expect(realTreeRun.stdout + realTreeRun.stderr).toContain('no dependency violations found');
    expect(realTreeRun.code).toBe(0);
  });
});
