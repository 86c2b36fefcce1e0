// The SM-DP+'s functions on the ASN.1 binding (SGP.22 v2.2.2 §6.6, `/gsma/rsp2/asn1`): which ES9+ function
// answers each RemoteProfileProvisioningRequest alternative, and per function the table from our status codes
// to the numbers of its error INTEGER (values from the ASN.1 module). Decoding, DER rendering and the route
// are rsp-server's.
import {
  AuthenticateClientResponseEs9_authenticateClientError, BoundProfilePackage, CancelSessionResponseEs9_cancelSessionError, Certificate, Codes,
  GetBoundProfilePackageResponse_getBoundProfilePackageError, InitiateAuthenticationResponse_initiateAuthenticationError, ServerSigned1,
  SmdpSigned2, StoreMetadataRequest,
} from '@zkesim/protocol';
import { authenticateClient } from '../../es9plus/authenticateClient.js';
import { cancelSession } from '../../es9plus/cancelSession.js';
import type { Es9Context } from '../../es9plus/context.js';
import { getBoundProfilePackage } from '../../es9plus/getBoundProfilePackage.js';
import { handleNotification } from '../../es9plus/handleNotification.js';
import { initiateAuthentication } from '../../es9plus/initiateAuthentication.js';
import { answering, asn1BindingRoute as provisioningRoute, asn1ErrorTable, type HttpRoute } from '@zkesim/rsp-server';

// Per function: the response alternative carrying its error INTEGER, the status codes answered with each of
// the INTEGER's named numbers, and the number for any other failure. These tables are the one home of the
// mapping from the codes of the function tables of §5.6 to the INTEGERs of rsp.asn; every code a function's
// table allows is listed (a test checks it), those without a number of their own under undefinedError.
//
// SPEC-AMBIGUITY: AuthenticateClient's INTEGER has fewer values than its code table (§5.6.3). The codes
// that refuse the order the MatchingID (or the default SM-DP+ EID) leads to (profile not released, BPP not
// available for a new binding, order expired, retries exceeded) are answered with matchingIdRefused: to the
// LPA they all mean "this activation code cannot be downloaded now", which is what that value tells it.
const initiateAuthenticationErrors = asn1ErrorTable(
  InitiateAuthenticationResponse_initiateAuthenticationError,
  (n) => ({ initiateAuthenticationResponse: { initiateAuthenticationError: n } }),
  {
    invalidDpAddress: [Codes.smdpAddressInvalid],
    euiccVersionNotSupportedByDp: [Codes.svnUnsupported],
    ciPKNotSupported: [Codes.ciPublicKeyUnsupported, Codes.smdpCertificateUnavailable],
  },
  // SPEC-AMBIGUITY: initiateAuthenticationError names no undefinedError; any other failure gets the number the
  // other ES9+ error INTEGERs give undefinedError.
  AuthenticateClientResponseEs9_authenticateClientError.undefinedError,
);
const authenticateClientErrors = asn1ErrorTable(
  AuthenticateClientResponseEs9_authenticateClientError,
  (n) => ({ authenticateClientResponseEs9: { authenticateClientError: n } }),
  {
    eumCertificateInvalid: [Codes.eumCertificateInvalid],
    eumCertificateExpired: [Codes.eumCertificateExpired],
    euiccCertificateInvalid: [Codes.euiccCertificateInvalid],
    euiccCertificateExpired: [Codes.euiccCertificateExpired],
    euiccSignatureInvalid: [Codes.euiccVerificationFailed],
    matchingIdRefused: [Codes.matchingIdRefused, Codes.profileNotReleased, Codes.bppNotAvailable, Codes.downloadOrderExpired, Codes.downloadOrderRetriesExceeded],
    eidMismatch: [Codes.eidMismatch],
    noEligibleProfile: [Codes.noEligibleProfile],
    ciPKUnknown: [Codes.ciPublicKeyUnknown],
    invalidTransactionId: [Codes.transactionIdUnknown],
  },
  'undefinedError',
);
const getBoundProfilePackageErrors = asn1ErrorTable(
  GetBoundProfilePackageResponse_getBoundProfilePackageError,
  (n) => ({ getBoundProfilePackageResponse: { getBoundProfilePackageError: n } }),
  {
    euiccSignatureInvalid: [Codes.euiccVerificationFailed],
    confirmationCodeMissing: [Codes.confirmationCodeMissing],
    confirmationCodeRefused: [Codes.confirmationCodeRefused],
    confirmationCodeRetriesExceeded: [Codes.confirmationCodeRetriesExceeded],
    invalidTransactionId: [Codes.transactionIdUnknown],
    // SPEC-AMBIGUITY: the order was closed between AuthenticateClient and this call; no value names it.
    undefinedError: [Codes.bppNotAvailable],
  },
  'undefinedError',
);
const cancelSessionErrors = asn1ErrorTable(
  CancelSessionResponseEs9_cancelSessionError,
  (n) => ({ cancelSessionResponseEs9: { cancelSessionError: n } }),
  {
    invalidTransactionId: [Codes.transactionIdUnknown],
    euiccSignatureInvalid: [Codes.euiccVerificationFailed],
    // The smdpOid in euiccCancelSessionSigned is not this SM-DP+'s (8.8 / 3.10): no value names it.
    undefinedError: [Codes.smdpOidInvalid],
  },
  'undefinedError',
);

/** The error tables of the functions that answer in DER, by function name. */
export const es9plusAsn1Errors = {
  initiateAuthentication: initiateAuthenticationErrors,
  authenticateClient: authenticateClientErrors,
  getBoundProfilePackage: getBoundProfilePackageErrors,
  cancelSession: cancelSessionErrors,
} as const;

/** The ES9+ functions by request alternative; handleNotification has no response, and its failures are not answered in DER. */
export function asn1BindingRoute(ctx: Es9Context): HttpRoute {
  return provisioningRoute({
    initiateAuthenticationRequest: answering(initiateAuthenticationErrors, async (request, input) => {
      // The session opens under the client's address, which limits what an unauthenticated client holds.
      const out = await initiateAuthentication({ ...ctx, sessions: ctx.sessions.forSource(input.source ?? 'unknown') }, request);
      return {
        initiateAuthenticationResponse: {
          initiateAuthenticationOk: {
            transactionId: out.transactionId,
            serverSigned1: ServerSigned1.decode(out.serverSigned1),
            serverSignature1: out.serverSignature1,
            euiccCiPKIdToBeUsed: out.euiccCiPKIdToBeUsed,
            serverCertificate: Certificate.decode(out.serverCertificate),
          },
        },
      };
    }),
    authenticateClientRequest: answering(authenticateClientErrors, async (request) => {
      const out = await authenticateClient(ctx, request);
      return {
        authenticateClientResponseEs9: {
          authenticateClientOk: {
            transactionId: out.transactionId,
            profileMetaData: StoreMetadataRequest.decode(out.profileMetadata),
            prepareDownloadRequest: {
              smdpSigned2: SmdpSigned2.decode(out.smdpSigned2),
              smdpSignature2: out.smdpSignature2,
              smdpCertificate: Certificate.decode(out.smdpCertificate),
            },
          },
        },
      };
    }),
    getBoundProfilePackageRequest: answering(getBoundProfilePackageErrors, async (request, input) => {
      const out = await getBoundProfilePackage(ctx, { ...request, ...(input.source === undefined ? {} : { source: input.source }) });
      return {
        getBoundProfilePackageResponse: {
          getBoundProfilePackageOk: { transactionId: out.transactionId, boundProfilePackage: BoundProfilePackage.decode(out.boundProfilePackage) },
        },
      };
    }),
    cancelSessionRequestEs9: answering(cancelSessionErrors, async (request) => {
      await cancelSession(ctx, request);
      return { cancelSessionResponseEs9: { cancelSessionOk: {} } };
    }),
    handleNotification: async (request) => {
      await handleNotification(ctx, request);
      return { status: 204 };
    },
  });
}
