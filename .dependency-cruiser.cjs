// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- dependency-cruiser loads a .cjs configuration as CommonJS. */
/* global require, module, __dirname */
// Dependency rules between the workspaces and inside them, checked by `npm run lint` (dependency-cruiser;
// `npm run lint:deps` runs this part alone). ARCHITECTURE.md ("Packages and what imports what") lists the
// same rules in words; test/architecture/dependencyRules.test.ts checks that each named rule still fires.
//
// Paths are relative to the repository root, with workspace imports resolved to their files
// (`@zkesim/pki` → `pki/src/index.ts`), so "package X imports package Y" is "a file under X/ has a
// dependency on a file under Y/". Type-only imports count: a type pulls in the module that defines it as
// much as a value does (only not-to-dev-dep lets them through: they vanish at run time).
//
// File kinds:
//   dev code  = tests (`*.test.ts`, `<package>/test/**`, the `test/` workspace), benchmarks
//               (`<package>/bench/**`, `bench/`) and build tools (`<package>/tools/**`): may use devDependencies;
//   test code = tests and benchmarks: the only code that may import the testing workspace;
//   library code = everything else under a workspace.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** @param {string} file */
const readJson = (file) => JSON.parse(readFileSync(join(__dirname, file), 'utf8'));

/** @type {string[]} The workspace folders, as the root package.json lists them. */
const WORKSPACES = readJson('package.json').workspaces;
/** Applications and test peers; every other workspace is a library. */
const LEAVES = ['apps', 'testing', 'test'];
const LIBRARIES = WORKSPACES.filter((name) => !LEAVES.includes(name));
/** The RSP roles and their shared layers (everything contracts/ must stay independent of). */
const RSP = ['protocol', 'pki', 'rsp-server', 'sm-dp-plus', 'sm-ds', 'euicc-sim', 'lpa-core'];
const SERVERS = ['sm-dp-plus', 'sm-ds', 'rsp-server'];

const DEV_FILE = ['\\.test\\.ts$', '^[^/]+/(test|bench|tools)/', '^(test|bench)/', '^[^/]+\\.(js|cjs|mjs|ts)$'];
const TEST_FILE = ['\\.test\\.ts$', '^[^/]+/(test|bench)/', '^(test|bench)/'];
/** Test-only code: a package's tests, the testing workspace, helper folders named `testing/` inside a src/. */
const TEST_CODE = ['\\.test\\.ts$', '^[^/]+/test/', '^testing/', '^[^/]+/src/testing/', '^[^/]+/src/.*/testing/'];
/** Root-level files (bin/, bench/, config files) belong to the root package.json. */
const ROOT_FILE = ['^(bin|bench)/', '^[^/]+$'];
const NODE_MODULES = '(^|/)node_modules/';

/** A path pattern for the files of these workspaces (never a node_modules folder nested in one). */
const files = (/** @type {string[]} */ names) => `^(${names.join('|')})/(?!node_modules/)`;
const except = (/** @type {string[]} */ names) => WORKSPACES.filter((name) => !names.includes(name));
const workspaceOf = (/** @type {string} */ packageName) =>
  WORKSPACES.find((name) => readJson(`${name}/package.json`).name === packageName);

/** Workspaces a package.json declares, split by kind, as folder names. */
function declared(/** @type {string} */ manifest) {
  const json = readJson(manifest);
  const pick = (/** @type {Record<string, string> | undefined} */ deps) =>
    Object.keys(deps ?? {})
      .map(workspaceOf)
      .filter((name) => name !== undefined);
  return { dependencies: pick(json.dependencies), devDependencies: pick(json.devDependencies) };
}

const DECLARED = Object.fromEntries(WORKSPACES.map((name) => [name, declared(`${name}/package.json`)]));

// No cycles between packages: the graph of what the package.json files declare (dependencies and
// devDependencies) must be acyclic, and the per-package rules below keep every import inside what is
// declared. Edges into testing are left out: testing depends on the packages it builds peers from, and
// only test code (which nothing imports) may import it (rule testing-only-from-tests-and-bench).
(function assertAcyclic() {
  /** @type {Map<string, string[]>} */
  const edges = new Map(
    WORKSPACES.map((name) => [
      name,
      [...DECLARED[name].dependencies, ...DECLARED[name].devDependencies].filter((to) => to !== 'testing' && to !== name),
    ]),
  );
  /** @type {Map<string, 'open' | 'done'>} */
  const state = new Map();
  const visit = (/** @type {string} */ name, /** @type {string[]} */ path) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' → ');
      throw new Error(`no-package-cycle: the workspace package.json files declare a cycle: ${cycle}`);
    }
    state.set(name, 'open');
    for (const to of edges.get(name) ?? []) visit(to, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of WORKSPACES) visit(name, []);
})();

// Tests reach peers only through testing/: a package's devDependencies name no workspace but testing. A
// test of X may import X, what X's library code depends on, and @zkesim/testing; a peer (the other side of
// an interface: an LPA for the SM-DP+'s tests, a card for the LPA's) comes through testing, which is where
// the one copy of each peer lives. The end-to-end package test/ is the exception: all of it is peers.
(function assertPeersThroughTesting() {
  for (const name of WORKSPACES) {
    if (name === 'test') continue;
    const peers = DECLARED[name].devDependencies.filter((to) => to !== 'testing' && !DECLARED[name].dependencies.includes(to));
    if (peers.length > 0) {
      throw new Error(`peer-not-through-testing: ${name}/package.json declares the workspace(s) ${peers.join(', ')} as devDependencies; tests reach peers through @zkesim/testing`);
    }
  }
})();

// Each workspace imports only the workspaces its package.json declares, and its library code only those
// under `dependencies` (the rule dependency-cruiser's no-non-package-json / not-to-dev-dep give for npm
// packages, which cannot see workspaces: they resolve to files in this repository). This is also what
// keeps tests reaching peers only through testing/: a test of X imports X, @zkesim/testing and what X
// declares, nothing else.
/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const declarationRules = WORKSPACES.flatMap((name) => {
  const { dependencies, devDependencies } = DECLARED[name];
  const undeclared = WORKSPACES.filter((to) => to !== name && !dependencies.includes(to) && !devDependencies.includes(to));
  const devOnly = devDependencies.filter((to) => !dependencies.includes(to));
  /** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
  const rules = [];
  if (undeclared.length > 0)
    rules.push({
      name: `${name}-workspace-not-in-package-json`,
      comment: `${name}/ imports a workspace its package.json does not declare: declare it (if the direction is allowed) or reach it through @zkesim/testing`,
      severity: 'error',
      from: { path: files([name]) },
      to: { path: files(undeclared) },
    });
  if (devOnly.length > 0)
    rules.push({
      name: `${name}-src-workspace-not-in-dependencies`,
      comment: `${name}/ library code imports a workspace its package.json has only as a devDependency`,
      severity: 'error',
      from: { path: files([name]), pathNot: DEV_FILE },
      to: { path: files(devOnly) },
    });
  return rules;
});
{
  const root = declared('package.json');
  const undeclared = WORKSPACES.filter((to) => !root.dependencies.includes(to) && !root.devDependencies.includes(to));
  declarationRules.push({
    name: 'root-workspace-not-in-package-json',
    comment: 'a root-level file (bin/, bench/, config) imports a workspace the root package.json does not declare',
    severity: 'error',
    from: { path: ROOT_FILE },
    to: { path: files(undeclared) },
  });
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // --- What each package may import -------------------------------------------------------------
    {
      name: 'protocol-imports-no-workspace',
      comment: 'protocol/ is the one shared layer (ASN.1, crypto, RspError, JSON binding): everything builds on it, so it builds on nothing',
      severity: 'error',
      from: { path: files(['protocol']) },
      to: { path: files(except(['protocol', 'testing'])) },
    },
    {
      name: 'config-imports-no-workspace',
      comment: 'config/ is the one configuration loader that servers, the chain layer and the applications share: it knows no component, so every component can use it',
      severity: 'error',
      from: { path: files(['config']) },
      to: { path: files(except(['config', 'testing'])) },
    },
    {
      name: 'pki-imports-only-protocol',
      comment: 'certificates and chain rules need the PKIX codecs and signatures, nothing of any RSP role',
      severity: 'error',
      from: { path: files(['pki']) },
      to: { path: files(except(['pki', 'protocol', 'testing'])) },
    },
    {
      name: 'rsp-server-imports-only-protocol-and-pki',
      comment: 'rsp-server/ holds what an SM-DP+ and an SM-DS share; it knows neither of them, nor any client',
      severity: 'error',
      from: { path: files(['rsp-server']) },
      to: { path: files(except(['rsp-server', 'protocol', 'pki', 'testing'])) },
    },
    {
      name: 'euicc-sim-imports-only-protocol-and-pki',
      comment: 'the software eUICC is a card: it sees APDUs and certificates, never an LPA, a server or the chain. The one exception is config/src/privateFile.ts (`@zkesim/config/privateFile`: its state file, which holds its keys, made 0600 before SQLite opens it; no configuration loader, no imports of its own)',
      severity: 'error',
      from: { path: files(['euicc-sim']) },
      to: { path: files(except(['euicc-sim', 'protocol', 'pki', 'testing'])), pathNot: '^config/src/privateFile\\.ts$' },
    },
    {
      name: 'lpa-core-not-to-servers-cards-contracts-or-apps',
      comment: 'lpa-core/ is the LPA library: it talks to servers over ES9+/ES11 and to cards over ES10 APDUs, so it imports no server, no eUICC, no chain layer and no application',
      severity: 'error',
      from: { path: files(['lpa-core']) },
      to: { path: files([...SERVERS, 'euicc-sim', 'contracts', 'apps']) },
    },
    {
      name: 'conformance-tests-servers-as-black-box',
      comment: 'conformance/ judges other people\'s servers and cards over their interfaces (HTTPS, APDUs): it plays the LPA and the eUICC with lpa-core and euicc-sim, and never imports a server (sm-dp-plus, sm-ds, rsp-server), the chain layer or an application, tests included (a mutant server comes through testing/)',
      severity: 'error',
      from: { path: files(['conformance']), pathNot: TEST_FILE },
      to: { path: files([...SERVERS, 'contracts', 'apps']) },
    },
    {
      name: 'contracts-imports-no-rsp-workspace',
      comment: 'the chain layer stores opaque installation records; RSP code calls it (sm-dp-plus chainAnchor), never the other way. The one exception is protocol/src/ports.ts, the injected Clock/RandomSource/Logger interfaces every role shares (no RSP logic, no imports of its own)',
      severity: 'error',
      from: { path: files(['contracts']) },
      to: { path: files(RSP), pathNot: '^protocol/src/ports\\.ts$' },
    },
    {
      name: 'library-not-to-apps',
      comment: 'apps/ (npm start, zkesim lpa, the sim: transport) is a leaf: libraries, their tests included, never depend on an application',
      severity: 'error',
      from: { path: files(LIBRARIES) },
      to: { path: files(['apps']) },
    },
    {
      name: 'testing-only-from-tests-and-bench',
      comment: 'testing/ holds test peers built from the libraries; only tests and benchmarks use them, so product code never ships test peers',
      severity: 'error',
      from: { pathNot: [...TEST_FILE, '^testing/'] },
      to: { path: files(['testing']) },
    },
    {
      name: 'src-not-to-test-code',
      comment: 'product code under <package>/src never imports a test, a test/ folder, testing/ or a src/**/testing/ helper',
      severity: 'error',
      from: { path: '^[^/]+/src/', pathNot: TEST_CODE },
      to: { path: TEST_CODE, pathNot: NODE_MODULES },
    },
    ...declarationRules,

    // --- Inside the tree --------------------------------------------------------------------------
    {
      name: 'no-circular',
      comment: 'an import cycle between files means neither can be understood, tested or loaded on its own',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-relative-import-out-of-package',
      comment: 'a package reaches another only by its name (@zkesim/…), so the import shows in its package.json and in the rules above',
      severity: 'error',
      from: { path: '^([^/]+)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], pathNot: '^$1/' },
    },

    // --- npm packages -----------------------------------------------------------------------------
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing fails at run time',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'every npm package a file imports is declared in the package.json nearest to that file (its workspace, or the root for bin/, bench/ and config files); hoisting would hide a missing one',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'library code and bin/ run in production: they import only `dependencies`; devDependencies are for tests, benchmarks and tools (type-only imports vanish at run time)',
      severity: 'error',
      from: { pathNot: DEV_FILE },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: NODE_MODULES },
    exclude: { path: '^contracts/artifacts/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Each workspace's package.json is the one that counts for the files under it.
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
