// SM-DP+ cases on what each ES9+ function does (SGP.22 v2.2.2 §5.6.1 – §5.6.5, procedures §3.1.3):
// nominal answers checked field by field and signature by signature, each refusal with its subject and
// reason code, retries with the same and with a new one-time key, CancelSession per reason, notifications.
// One file per ES9+ function; smdpCases (cases.ts) runs them in this order:
export { initiateAuthenticationCases } from './initiateAuthenticationCases.js';
export { authenticateClientCases } from './authenticateClientCases.js';
export { getBoundProfilePackageCases } from './getBoundProfilePackageCases.js';
export { cancelSessionCases } from './cancelSessionCases.js';
export { handleNotificationCases } from './handleNotificationCases.js';
