// Public API of @zkesim/conformance: the runner, its reporters and the SM-DP+ and eUICC case sets.
export * from './runner/model.js';
export { runCases, matchesOnly, selectsCase, exitCodeOf, type RunOptions } from './runner/run.js';
export { SGP23_VERSION, SGP23_TEST_CASES, SGP23_PATTERN, NO_SGP23_COUNTERPART, sgp23, parseSgp23, sgp23Label, type Sgp23Section, type Sgp23Reference } from './runner/sgp23.js';
export { FIXTURE_KINDS, FixturePool, parseFixtures, readFixtures, type Fixture, type FixtureKind } from './runner/fixtures.js';
export { progressLine, summaryLine } from './report/progress.js';
export { junitXml } from './report/junit.js';
export { htmlReport } from './report/html.js';
export { runSmdpConformance, allSmdpCases, type SmdpRunOptions } from './smdp/runSmdp.js';
export { sgp26IdentityFiles, DEFAULT_SGP26_DIR, type EuiccIdentityFiles } from './smdp/card.js';
export { runEuiccConformance, loadServerCredentials, sgp26ServerFiles, type EuiccRunOptions, type ServerCredentialFiles } from './euicc/runEuicc.js';
export { euiccCases } from './euicc/cases.js';
export { runSmdsConformance, type SmdsRunOptions, type SmdpCredentialFiles } from './smds/runSmds.js';
export { smdsCases } from './smds/cases.js';
