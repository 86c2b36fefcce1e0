// The SGP.22 status codes (subject code + reason code) carried in `statusCodeData` of a failed
// function (SGP.22 v2.2.2 §6.5.1.4 for the JSON header; the function tables of §5.3, §5.6, §5.8, §5.9
// for which pair each function returns). Every code used anywhere in the stack comes from this file.
//
// SPEC-AMBIGUITY: the generic subject codes (1.x) are as deployed implementations (lpac, pySim) use them.
// Entries seen with two different values in the field keep the value named beside them and say why.

/** A subject code / reason code pair as it travels in `statusCodeData`. */
export interface StatusCode {
  readonly subjectCode: string;
  readonly reasonCode: string;
}

/** A status code of the table below, with the text the spec gives for it. */
export interface StatusCodeEntry extends StatusCode {
  readonly meaning: string;
}

/** Subject codes: what the status is about. */
export const SubjectCodes = {
  functionRequester: { code: '1.1', meaning: 'Function requester' },
  functionRequesterIdentifier: { code: '1.1.1', meaning: 'Function requester identifier' },
  functionProvider: { code: '1.2', meaning: 'Function provider' },
  contentType: { code: '1.2.1', meaning: 'Function provider: Content-Type of the request' },
  adminProtocol: { code: '1.2.2', meaning: 'Function provider: X-Admin-Protocol version of the request' },
  mandatoryParameter: { code: '1.3.1', meaning: 'Mandatory parameter of the function' },
  function: { code: '1.6', meaning: 'Function (the request as a whole)' },
  euicc: { code: '8.1', meaning: 'eUICC' },
  eid: { code: '8.1.1', meaning: 'EID' },
  eumCertificate: { code: '8.1.2', meaning: 'EUM certificate' },
  euiccCertificate: { code: '8.1.3', meaning: 'eUICC certificate' },
  eidRange: { code: '8.1.4', meaning: 'EID within the EUM permitted range' },
  profile: { code: '8.2', meaning: 'Profile' },
  iccid: { code: '8.2.1', meaning: 'Profile ICCID' },
  profileType: { code: '8.2.5', meaning: 'Profile type' },
  matchingId: { code: '8.2.6', meaning: 'Matching ID' },
  confirmationCode: { code: '8.2.7', meaning: 'Confirmation code' },
  smdpPlus: { code: '8.8', meaning: 'SM-DP+' },
  smdpAddress: { code: '8.8.1', meaning: 'SM-DP+ address' },
  smdpCiPublicKey: { code: '8.8.2', meaning: 'SM-DP+ security configuration (CI public key)' },
  smdpSvn: { code: '8.8.3', meaning: 'SM-DP+ specification version number' },
  smdpCertificate: { code: '8.8.4', meaning: 'SM-DP+ certificate' },
  downloadOrder: { code: '8.8.5', meaning: 'Download order' },
  smds: { code: '8.9', meaning: 'SM-DS' },
  smdsAddress: { code: '8.9.1', meaning: 'SM-DS address' },
  smdsCiPublicKey: { code: '8.9.2', meaning: 'SM-DS security configuration (CI public key)' },
  smdsSvn: { code: '8.9.3', meaning: 'SM-DS specification version number' },
  smdsCertificate: { code: '8.9.4', meaning: 'SM-DS certificate' },
  event: { code: '8.9.5', meaning: 'Event record' },
  transactionId: { code: '8.10.1', meaning: 'TransactionId' },
  ciPublicKey: { code: '8.11.1', meaning: 'CI public key' },
} as const satisfies Record<string, { code: string; meaning: string }>;

/** Reason codes: what went wrong. */
export const ReasonCodes = {
  unknownRequester: { code: '1.1', meaning: 'Access error: unknown (requester not known)' },
  notAllowed: { code: '1.2', meaning: 'Access error: not allowed (authorisation)' },
  invalid: { code: '2.1', meaning: 'Format error: invalid' },
  mandatoryElementMissing: { code: '2.2', meaning: 'Format error: mandatory element missing' },
  conditionalElementMissing: { code: '2.3', meaning: 'Format error: conditional element missing' },
  unsupported: { code: '3.1', meaning: 'Conditions of use not satisfied: unsupported' },
  alreadyInUse: { code: '3.3', meaning: 'Conditions of use not satisfied: already in use / conflicting' },
  invalidTransition: { code: '3.5', meaning: 'Conditions of use not satisfied: invalid state transition' },
  unavailable: { code: '3.7', meaning: 'Conditions of use not satisfied: unavailable' },
  refused: { code: '3.8', meaning: 'Conditions of use not satisfied: refused' },
  unknown: { code: '3.9', meaning: 'Conditions of use not satisfied: unknown' },
  invalidAssociation: { code: '3.10', meaning: 'Conditions of use not satisfied: invalid association' },
  expired: { code: '4.1', meaning: 'Processing error: expired' },
  executionError: { code: '4.2', meaning: 'Processing error: execution error' },
  stopped: { code: '4.3', meaning: 'Processing error: stopped / no eligible result' },
  insufficientMemory: { code: '4.8', meaning: 'Processing error: insufficient memory' },
  timeToLiveExpired: { code: '4.10', meaning: 'Processing error: time to live expired' },
  inaccessible: { code: '5.1', meaning: 'Transport error: inaccessible' },
  verificationFailed: { code: '6.1', meaning: 'Security error: verification failed' },
  certificateExpired: { code: '6.3', meaning: 'Security error: expired' },
  maxRetriesExceeded: { code: '6.4', meaning: 'Security error: maximum number of retries exceeded' },
} as const satisfies Record<string, { code: string; meaning: string }>;

type SubjectName = keyof typeof SubjectCodes;
type ReasonName = keyof typeof ReasonCodes;

/** A table entry typed with its literal codes, so that e.g. `typeof Codes.eumCertificateExpired` is one pair. */
export interface CodePair<S extends string, R extends string> extends StatusCodeEntry {
  readonly subjectCode: S;
  readonly reasonCode: R;
}

function pair<S extends SubjectName, R extends ReasonName>(
  subject: S,
  reason: R,
  meaning: string,
): CodePair<(typeof SubjectCodes)[S]['code'], (typeof ReasonCodes)[R]['code']> {
  return { subjectCode: SubjectCodes[subject].code, reasonCode: ReasonCodes[reason].code, meaning };
}

/**
 * The function-specific pairs (from the SGP.22 function tables of §5.3, §5.6, §5.8, §5.9),
 * plus the generic pairs used by the JSON binding (§6.5).
 */
export const Codes = {
  // Generic, raised by the HTTP/JSON binding before a function runs (§6.5).
  // SPEC-AMBIGUITY: a malformed or missing request field is reported with subject 1.6 (function), as a
  // commercial SM-DP+ does (`1.6 / 2.1 Invalid`); the field name goes into subjectIdentifier.
  invalidRequestField: pair('function', 'invalid', 'A request field is malformed'),
  missingRequestField: pair('function', 'mandatoryElementMissing', 'A mandatory request field is missing'),
  invalidResponseField: pair('functionProvider', 'invalid', 'A response field is malformed'),
  missingResponseField: pair('functionProvider', 'mandatoryElementMissing', 'A mandatory response field is missing'),
  invalidContentType: pair('contentType', 'invalid', 'Invalid Content-Type header'),
  unsupportedAdminProtocol: pair('adminProtocol', 'invalid', 'Unsupported X-Admin-Protocol version'),
  unknownFunctionRequester: pair('functionRequesterIdentifier', 'unknownRequester', 'Function requester not known'),
  functionRequesterNotAllowed: pair('functionRequester', 'notAllowed', 'Function requester not allowed'),
  mandatoryParameterMissing: pair('mandatoryParameter', 'mandatoryElementMissing', 'Mandatory element missing'),
  functionExecutionError: pair('function', 'executionError', 'Function execution error'),

  // eUICC (8.1.x)
  euiccInsufficientMemory: pair('euicc', 'insufficientMemory', 'eUICC has insufficient space for this profile'),
  euiccVerificationFailed: pair('euicc', 'verificationFailed', 'eUICC signature invalid or serverChallenge mismatch'),
  eidMissing: pair('eid', 'mandatoryElementMissing', 'EID missing'),
  eidOtherBound: pair('eid', 'unsupported', 'A different EID is already associated with this ICCID'),
  // §5.6.3: also the default SM-DP+ use (no MatchingID) when no order waits for this EID.
  eidMismatch: pair('eid', 'refused', 'EID refused: not the order\'s, or no pending order for it'),
  // §5.3.2, §5.3.3: ConfirmOrder / CancelOrder naming an EID other than the one of the order.
  eidInvalidAssociation: pair('eid', 'invalidAssociation', 'EID: invalid association with the order'),
  eumCertificateInvalid: pair('eumCertificate', 'verificationFailed', 'EUM certificate invalid'),
  eumCertificateExpired: pair('eumCertificate', 'certificateExpired', 'EUM certificate expired'),
  euiccCertificateInvalid: pair('euiccCertificate', 'verificationFailed', 'eUICC certificate invalid'),
  euiccCertificateExpired: pair('euiccCertificate', 'certificateExpired', 'eUICC certificate expired'),
  eidOutsidePermittedRange: pair('eidRange', 'verificationFailed', 'EID outside the EUM permitted range'),

  // Profile (8.2.x)
  profileNotReleased: pair('profile', 'notAllowed', 'Profile not yet released'),
  bppNotAvailable: pair('profile', 'unavailable', 'BPP not available for a new binding'),
  iccidNotAllowed: pair('iccid', 'notAllowed', 'ICCID: function caller not allowed'),
  iccidOtherEidBound: pair('iccid', 'unsupported', 'ICCID: a different EID is bound to it'),
  iccidNotAvailable: pair('iccid', 'alreadyInUse', 'ICCID: not available'),
  iccidCannotBeReleased: pair('iccid', 'invalidTransition', 'ICCID: profile cannot be released'),
  iccidUnknown: pair('iccid', 'unknown', 'ICCID: unknown'),
  profileTypeNotAllowed: pair('profileType', 'notAllowed', 'Profile type: not allowed'),
  profileTypeUnavailable: pair('profileType', 'unavailable', 'Profile type: no profile left'),
  profileTypeMismatch: pair('profileType', 'refused', 'Profile type does not match the ICCID'),
  profileTypeUnknown: pair('profileType', 'unknown', 'Profile type: unknown'),
  noEligibleProfile: pair('profileType', 'stopped', 'No eligible profile for this eUICC or device'),
  matchingIdOtherBound: pair('matchingId', 'unsupported', 'MatchingID: another one is bound'),
  matchingIdConflicting: pair('matchingId', 'alreadyInUse', 'MatchingID: conflicting'),
  matchingIdRefused: pair('matchingId', 'refused', 'MatchingID refused (unknown AC_Token or EventID)'),
  // §5.3.3: CancelOrder naming a MatchingID other than the one of the order.
  matchingIdInvalidAssociation: pair('matchingId', 'invalidAssociation', 'MatchingID: invalid association with the order'),
  confirmationCodeMissing: pair('confirmationCode', 'mandatoryElementMissing', 'Confirmation code missing'),
  confirmationCodeRefused: pair('confirmationCode', 'refused', 'Confirmation code refused'),
  confirmationCodeRetriesExceeded: pair('confirmationCode', 'maxRetriesExceeded', 'Confirmation code: retries exceeded'),

  // SM-DP+ (8.8.x). SPEC-AMBIGUITY: lpac uses 3.1 for an invalid SM-DP+ OID, pySim 3.10; we use 3.10.
  smdpOidInvalid: pair('smdpPlus', 'invalidAssociation', 'SM-DP+ OID invalid'),
  smdpAddressInvalid: pair('smdpAddress', 'refused', 'Invalid SM-DP+ address'),
  ciPublicKeyUnsupported: pair('smdpCiPublicKey', 'unsupported', 'None of the proposed CI public key ids is supported'),
  svnUnsupported: pair('smdpSvn', 'unsupported', 'eUICC specification version not supported'),
  smdpCertificateUnavailable: pair('smdpCertificate', 'unavailable', 'No DPauth certificate chaining to a CI the eUICC can verify'),
  // §5.6.3: "Download order – Time to Live Expired" (4.10); lpac's table says 4.1, which we do not follow.
  downloadOrderExpired: pair('downloadOrder', 'timeToLiveExpired', 'Download order: time to live expired'),
  downloadOrderRetriesExceeded: pair('downloadOrder', 'maxRetriesExceeded', 'Download order: maximum number of retries exceeded'),

  // SM-DS (8.9.x)
  rootSmdsExecutionError: pair('smds', 'executionError', 'Root SM-DS execution error'),
  rootSmdsUnavailable: pair('smds', 'inaccessible', 'Root SM-DS unavailable'),
  smdsAddressInvalid: pair('smdsAddress', 'refused', 'Invalid SM-DS address'),
  smdsCiPublicKeyUnsupported: pair('smdsCiPublicKey', 'unsupported', 'CI public key ids not supported by the SM-DS'),
  smdsSvnUnsupported: pair('smdsSvn', 'unsupported', 'eUICC specification version not supported by the SM-DS'),
  smdsCertificateUnavailable: pair('smdsCertificate', 'unavailable', 'No DSauth certificate for a supported CI'),
  eventAlreadyExists: pair('event', 'alreadyInUse', 'Event already exists'),
  eventUnknown: pair('event', 'unknown', 'Event unknown'),

  // Session and trust anchors
  transactionIdUnknown: pair('transactionId', 'unknown', 'TransactionId unknown'),
  ciPublicKeyUnknown: pair('ciPublicKey', 'unknown', 'Unknown CI public key (EUM certificate not under a trusted root)'),
} as const satisfies Record<string, StatusCodeEntry>;

export type CodeName = keyof typeof Codes;

/** The entry of the table for a received pair, if the pair is one we know. */
export function findStatusCode(code: StatusCode): (StatusCodeEntry & { name: CodeName }) | undefined {
  for (const [name, entry] of Object.entries(Codes) as [CodeName, StatusCodeEntry][]) {
    if (entry.subjectCode === code.subjectCode && entry.reasonCode === code.reasonCode) return { ...entry, name };
  }
  return undefined;
}
