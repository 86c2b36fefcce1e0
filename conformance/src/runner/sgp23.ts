// The SGP.23 (RSP Test Specification) test cases our conformance cases correspond to, one home for their
// section numbers and names. Identifiers follow SGP.23 v1.15 (section 4.3, SM-DP+ interfaces) and are written
// `<section> <test case>` or `<section> <test case> #<sequence>`, e.g.
// `4.3.12.2.1 TC_SM-DP+_ES9+.InitiateAuthenticationNIST #03`; a case names the sequence only where its
// stimulus and expected result are those of that sequence, and the test case alone where it belongs to the
// test case but no single sequence is certain. A case with no SGP.23 counterpart claimed carries ''.

export const SGP23_VERSION = 'SGP.23 v1.15';

/** Section → test case name, as numbered and spelled in SGP.23 v1.15. */
export const SGP23_TEST_CASES = {
  '4.3.12.2.1': 'TC_SM-DP+_ES9+.InitiateAuthenticationNIST',
  '4.3.13.2.1': 'TC_SM-DP+_ES9+.GetBoundProfilePackageNIST',
  '4.3.13.2.4': 'TC_SM-DP+_ES9+.GetBoundProfilePackage_RetryCases_ReuseOTPK_NIST',
  '4.3.13.2.7': 'TC_SM-DP+_ES9+.GetBoundProfilePackage_RetryCases_DifferentOTPK_NIST',
  '4.3.13.2.10': 'TC_SM-DP+_ES9+.GetBoundProfilePackage_ErrorCasesNIST',
  '4.3.14.2.1': 'TC_SM-DP+_ES9+.AuthenticateClientNIST',
  '4.3.14.2.2': 'TC_SM-DP+_ES9+.AuthenticateClientNIST_ErrorCases',
  '4.3.15.2.1': 'TC_SM-DP+_ES9+_HandleNotificationNIST',
  '4.3.16.2.1': 'TC_SM-DP+_ES9+.CancelSession_After_AuthenticateClientNIST',
  '4.3.16.2.2': 'TC_SM-DP+_ES9+.CancelSession_After_GetBoundProfilePackageNIST',
} as const;

export type Sgp23Section = keyof typeof SGP23_TEST_CASES;

/** The form every non-empty identifier has: section, test case name, optional two-digit sequence. */
export const SGP23_PATTERN = /^(4(?:\.\d+){3,4}) (TC_(?:SM-DP\+|SM-DS|eUICC)_ES\d+\+?[._][A-Za-z0-9_]+)(?: #(\d{2}))?$/;

/** The identifier of SGP.23 test case `section`, and of its test sequence `sequence` when given. */
export function sgp23(section: Sgp23Section, sequence?: number): string {
  if (sequence !== undefined && (!Number.isInteger(sequence) || sequence < 1 || sequence > 99)) throw new RangeError(`SGP.23 test sequence ${sequence}: expected 1 to 99`);
  return `${section} ${SGP23_TEST_CASES[section]}${sequence === undefined ? '' : ` #${String(sequence).padStart(2, '0')}`}`;
}

export interface Sgp23Reference {
  readonly section: string;
  readonly testCase: string;
  readonly sequence?: number;
}

/** The parts of an identifier, or undefined when it does not have the documented form. */
export function parseSgp23(identifier: string): Sgp23Reference | undefined {
  const match = SGP23_PATTERN.exec(identifier);
  if (match === null) return undefined;
  const [, section = '', testCase = '', sequence] = match;
  return sequence === undefined ? { section, testCase } : { section, testCase, sequence: Number(sequence) };
}

export const NO_SGP23_COUNTERPART = 'no SGP.23 counterpart claimed';

/** What the reports show for a case's identifier: the identifier, or that no SGP.23 counterpart is claimed. */
export function sgp23Label(identifier: string): string {
  return identifier === '' ? NO_SGP23_COUNTERPART : identifier;
}
