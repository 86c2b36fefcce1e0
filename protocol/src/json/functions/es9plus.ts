// ES9+ (LPA → SM-DP+), SGP.22 v2.2.2 §5.6 and its JSON binding §6.5.2.
// Binary values are base64 of DER (`serverSignature1`, `smdpSignature2`: the whole `5F37 40` DO;
// `euiccCiPKIdToBeUsed`: the whole `04 14` OCTET STRING TLV, not the bare key id).
import { mandatory } from '../fields.js';
import { rspFunction } from './rspFunction.js';

const base = '/gsma/rsp2/es9plus';

/** §5.6.1 ES9+.InitiateAuthentication. */
export const initiateAuthentication = rspFunction({
  name: 'initiateAuthentication',
  interface: 'es9plus',
  path: `${base}/initiateAuthentication`,
  section: 'SGP.22 §5.6.1',
  requestHeader: false,
  request: {
    euiccChallenge: mandatory('base64'),
    euiccInfo1: mandatory('base64'),
    smdpAddress: mandatory('string'),
  },
  response: {
    transactionId: mandatory('transactionId'),
    serverSigned1: mandatory('base64'),
    serverSignature1: mandatory('base64'),
    euiccCiPKIdToBeUsed: mandatory('base64'),
    serverCertificate: mandatory('base64'),
  },
});

/** §5.6.3 ES9+.AuthenticateClient. */
export const authenticateClient = rspFunction({
  name: 'authenticateClient',
  interface: 'es9plus',
  path: `${base}/authenticateClient`,
  section: 'SGP.22 §5.6.3',
  requestHeader: false,
  request: {
    transactionId: mandatory('transactionId'),
    authenticateServerResponse: mandatory('base64'),
  },
  response: {
    transactionId: mandatory('transactionId'),
    profileMetadata: mandatory('base64'),
    smdpSigned2: mandatory('base64'),
    smdpSignature2: mandatory('base64'),
    smdpCertificate: mandatory('base64'),
  },
});

/** §5.6.2 ES9+.GetBoundProfilePackage. */
export const getBoundProfilePackage = rspFunction({
  name: 'getBoundProfilePackage',
  interface: 'es9plus',
  path: `${base}/getBoundProfilePackage`,
  section: 'SGP.22 §5.6.2',
  requestHeader: false,
  request: {
    transactionId: mandatory('transactionId'),
    prepareDownloadResponse: mandatory('base64'),
  },
  response: {
    transactionId: mandatory('transactionId'),
    boundProfilePackage: mandatory('base64'),
  },
});

/** §5.6.4 ES9+.HandleNotification: success is HTTP 204 with no body. */
export const handleNotification = rspFunction({
  name: 'handleNotification',
  interface: 'es9plus',
  path: `${base}/handleNotification`,
  section: 'SGP.22 §5.6.4',
  requestHeader: false,
  request: { pendingNotification: mandatory('base64') },
  response: {},
  responseBody: 'none',
});

/** §5.6.5 ES9+.CancelSession: the response is the header only. */
export const cancelSession = rspFunction({
  name: 'cancelSession',
  interface: 'es9plus',
  path: `${base}/cancelSession`,
  section: 'SGP.22 §5.6.5',
  requestHeader: false,
  request: {
    transactionId: mandatory('transactionId'),
    cancelSessionResponse: mandatory('base64'),
  },
  response: {},
});

export const es9plusFunctions = {
  initiateAuthentication,
  authenticateClient,
  getBoundProfilePackage,
  handleNotification,
  cancelSession,
} as const;
