// ES11 (LPA → SM-DS), SGP.22 v2.2.2 §5.8. Same message pattern as ES9+.
// SPEC-AMBIGUITY: the spec names ES11 functions separately, but deployed LPAs POST to
// /gsma/rsp2/es9plus/... on the SM-DS (the GSMA root SM-DS answers 404 on /gsma/rsp2/es11/...). Clients
// use the es9plus path; an SM-DS serves both (alternativePaths).
import { mandatory } from '../fields.js';
import { authenticateClient as es9plusAuthenticateClient, initiateAuthentication as es9plusInitiateAuthentication } from './es9plus.js';
import { rspFunction } from './rspFunction.js';

/** §5.8.1 ES11.InitiateAuthentication: the request field keeps the name `smdpAddress` (value: SM-DS address). */
export const initiateAuthentication = rspFunction({
  name: 'initiateAuthentication',
  interface: 'es11',
  path: '/gsma/rsp2/es9plus/initiateAuthentication',
  alternativePaths: ['/gsma/rsp2/es11/initiateAuthentication'],
  section: 'SGP.22 §5.8.1',
  requestHeader: false,
  // The same fields as ES9+.InitiateAuthentication (§5.6.1).
  request: es9plusInitiateAuthentication.request,
  response: es9plusInitiateAuthentication.response,
});

/** §5.8.2 ES11.AuthenticateClient: returns the event records for the EID (possibly none). */
export const authenticateClient = rspFunction({
  name: 'authenticateClient',
  interface: 'es11',
  path: '/gsma/rsp2/es9plus/authenticateClient',
  alternativePaths: ['/gsma/rsp2/es11/authenticateClient'],
  section: 'SGP.22 §5.8.2',
  requestHeader: false,
  request: es9plusAuthenticateClient.request,
  response: {
    transactionId: mandatory('transactionId'),
    eventEntries: mandatory('eventEntries'),
  },
});

export const es11Functions = { initiateAuthentication, authenticateClient } as const;
