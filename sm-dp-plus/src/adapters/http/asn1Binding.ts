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
import { answering, asn1BindingRoute as provisioningRoute, type Asn1ErrorTable, type HttpRoute } from '@zkesim/rsp-server';

const initiateAuthenticationError = InitiateAuthenticationResponse_initiateAuthenticationError;
const initiateAuthenticationErrors: Asn1ErrorTable = {
  numbers: [
    [Codes.smdpAddressInvalid, initiateAuthenticationError.invalidDpAddress],
    [Codes.svnUnsupported, initiateAuthenticationError.euiccVersionNotSupportedByDp],
    [Codes.ciPublicKeyUnsupported, initiateAuthenticationError.ciPKNotSupported],
    [Codes.smdpCertificateUnavailable, initiateAuthenticationError.ciPKNotSupported],
  ],
  // SPEC-AMBIGUITY: initiateAuthenticationError names no undefinedError; any other failure gets the number the
  // other ES9+ error INTEGERs give undefinedError.
  otherwise: AuthenticateClientResponseEs9_authenticateClientError.undefinedError,
  response: (n) => ({ initiateAuthenticationResponse: { initiateAuthenticationError: n } }),
};
const authenticateClientError = AuthenticateClientResponseEs9_authenticateClientError;
const authenticateClientErrors: Asn1ErrorTable = {
  numbers: [
    [Codes.eumCertificateInvalid, authenticateClientError.eumCertificateInvalid],
    [Codes.eumCertificateExpired, authenticateClientError.eumCertificateExpired],
    [Codes.euiccCertificateInvalid, authenticateClientError.euiccCertificateInvalid],
    [Codes.euiccCertificateExpired, authenticateClientError.euiccCertificateExpired],
    [Codes.euiccVerificationFailed, authenticateClientError.euiccSignatureInvalid],
    [Codes.matchingIdRefused, authenticateClientError.matchingIdRefused],
    [Codes.eidMismatch, authenticateClientError.eidMismatch],
    [Codes.noEligibleProfile, authenticateClientError.noEligibleProfile],
    [Codes.ciPublicKeyUnknown, authenticateClientError.ciPKUnknown],
    [Codes.transactionIdUnknown, authenticateClientError.invalidTransactionId],
  ],
  otherwise: authenticateClientError.undefinedError,
  response: (n) => ({ authenticateClientResponseEs9: { authenticateClientError: n } }),
};
const getBoundProfilePackageError = GetBoundProfilePackageResponse_getBoundProfilePackageError;
const getBoundProfilePackageErrors: Asn1ErrorTable = {
  numbers: [
    [Codes.euiccVerificationFailed, getBoundProfilePackageError.euiccSignatureInvalid],
    [Codes.confirmationCodeMissing, getBoundProfilePackageError.confirmationCodeMissing],
    [Codes.confirmationCodeRefused, getBoundProfilePackageError.confirmationCodeRefused],
    [Codes.confirmationCodeRetriesExceeded, getBoundProfilePackageError.confirmationCodeRetriesExceeded],
    [Codes.transactionIdUnknown, getBoundProfilePackageError.invalidTransactionId],
  ],
  otherwise: getBoundProfilePackageError.undefinedError,
  response: (n) => ({ getBoundProfilePackageResponse: { getBoundProfilePackageError: n } }),
};
const cancelSessionError = CancelSessionResponseEs9_cancelSessionError;
const cancelSessionErrors: Asn1ErrorTable = {
  numbers: [
    [Codes.transactionIdUnknown, cancelSessionError.invalidTransactionId],
    [Codes.euiccVerificationFailed, cancelSessionError.euiccSignatureInvalid],
  ],
  otherwise: cancelSessionError.undefinedError,
  response: (n) => ({ cancelSessionResponseEs9: { cancelSessionError: n } }),
};

/** The ES9+ functions by request alternative; handleNotification has no response, and its failures are not answered in DER. */
export function asn1BindingRoute(ctx: Es9Context): HttpRoute {
  return provisioningRoute({
    initiateAuthenticationRequest: answering(initiateAuthenticationErrors, async (request) => {
      const out = initiateAuthentication(ctx, request);
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
    getBoundProfilePackageRequest: answering(getBoundProfilePackageErrors, async (request) => {
      const out = await getBoundProfilePackage(ctx, request);
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
