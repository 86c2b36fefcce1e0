// What an SGP.22 status code (subject code + reason code, §6.5.1.4 `statusCodeData`) means to an end user, in
// plain words, for the LUI and any other place that shows a failure to a person rather than to a developer. The
// codes come from codes.ts (the one table of codes); this file only adds the wording. A pair without wording of
// its own is described from the subject's and the reason's meaning in codes.ts.
import { ReasonCodes, SubjectCodes, type StatusCode } from './codes.js';

type SubjectName = keyof typeof SubjectCodes;
type ReasonName = keyof typeof ReasonCodes;

const wording = new Map<string, string>();

function say(subject: SubjectName, reason: ReasonName, text: string): void {
  wording.set(`${SubjectCodes[subject].code}/${ReasonCodes[reason].code}`, text);
}

// The download (ES9+ §5.6, ES11 §5.8) and the LPA's own conditions (lpa-core errors.ts).
say('matchingId', 'refused', 'The operator does not know this activation code, or it has already been used. Ask your operator for a new one.');
say('matchingId', 'invalid', 'This is not a valid eSIM activation code. Check that you copied all of it (it starts with LPA:1$).');
say('matchingId', 'unsupported', 'This activation code belongs to another device.');
say('eid', 'refused', 'This eSIM was ordered for another device, or the operator has nothing waiting for this device.');
say('eid', 'unsupported', 'This eSIM is already tied to another device.');
say('confirmationCode', 'mandatoryElementMissing', 'Your operator requires a confirmation code for this eSIM. Enter the code your operator gave you.');
say('confirmationCode', 'refused', 'The confirmation code is wrong. Check it and try again.');
say('confirmationCode', 'maxRetriesExceeded', 'The confirmation code was wrong too many times. Ask your operator for a new eSIM.');
say('downloadOrder', 'timeToLiveExpired', 'This eSIM offer has expired. Ask your operator for a new one.');
say('downloadOrder', 'maxRetriesExceeded', 'This eSIM was tried too many times. Ask your operator for a new one.');
say('profile', 'notAllowed', 'The operator has not released this eSIM yet. Try again later.');
say('profile', 'unavailable', 'This eSIM can no longer be downloaded. Ask your operator for a new one.');
say('profile', 'refused', 'The download was cancelled at your request.');
say('profile', 'executionError', 'Your device could not install this eSIM.');
say('profile', 'unknown', 'There is no interrupted download to resume.');
say('profileType', 'stopped', 'This eSIM is not meant for this device.');
say('euicc', 'insufficientMemory', 'There is not enough room on your device for another eSIM. Delete one you no longer use.');
say('euicc', 'inaccessible', 'The eSIM chip of this device cannot be reached.');
say('euicc', 'executionError', 'The eSIM chip refused the operation.');
say('euicc', 'invalid', 'The eSIM chip gave an answer that cannot be used.');
say('euicc', 'verificationFailed', 'The operator could not verify this device.');
say('euiccCertificate', 'certificateExpired', 'This device\'s eSIM certificate has expired.');
say('euiccCertificate', 'verificationFailed', 'The operator does not accept this device\'s eSIM certificate.');
say('eumCertificate', 'verificationFailed', 'The operator does not accept this device\'s eSIM certificate.');
say('ciPublicKey', 'unknown', 'The operator\'s server and this device do not trust each other\'s certificates.');
say('smdpCertificate', 'unavailable', 'The operator\'s server and this device do not trust each other\'s certificates.');
say('smdpCiPublicKey', 'unsupported', 'The operator\'s server and this device do not trust each other\'s certificates.');
say('smdpSvn', 'unsupported', 'The operator\'s server does not support this device\'s eSIM version.');
say('smdpPlus', 'inaccessible', 'The operator\'s eSIM server cannot be reached. Check the connection and try again.');
say('smdpPlus', 'invalidAssociation', 'The activation code does not belong to the server it names.');
say('smdpAddress', 'refused', 'The activation code names an eSIM server that is not valid.');
say('smds', 'inaccessible', 'The eSIM discovery service cannot be reached.');
say('smdsAddress', 'refused', 'The eSIM discovery service address is not valid.');
say('transactionId', 'unknown', 'The download session expired. Start again.');
say('function', 'invalid', 'Something you entered is not valid.');
say('function', 'executionError', 'The operation failed.');

function reasonText(reason: string): string {
  // codes.ts gives "Category: reason"; the person wants the reason.
  const colon = reason.indexOf(': ');
  return colon < 0 ? reason : reason.slice(colon + 2);
}

/**
 * A sentence for a person (no codes in it; show the codes beside it): the wording of the pair, else the
 * subject's and reason's meanings from codes.ts.
 */
export function plainWords(code: StatusCode): string {
  const known = wording.get(`${code.subjectCode}/${code.reasonCode}`);
  if (known !== undefined) return known;
  const subject = Object.values(SubjectCodes).find((entry) => entry.code === code.subjectCode);
  const reason = Object.values(ReasonCodes).find((entry) => entry.code === code.reasonCode);
  if (subject === undefined || reason === undefined) return 'The operation failed.';
  return `${subject.meaning}: ${reasonText(reason.meaning)}.`;
}
