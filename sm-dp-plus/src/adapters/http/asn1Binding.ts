// The ES9+ ASN.1 binding (SGP.22 v2.2.2 §6.6): one path, `/gsma/rsp2/asn1`, carrying a DER
// RemoteProfileProvisioningRequest and answering a RemoteProfileProvisioningResponse, with the
// function's error as the INTEGER alternative of its response (values from the ASN.1 module).
import {
  AuthenticateClientResponseEs9_authenticateClientError, BoundProfilePackage, CancelSessionResponseEs9_cancelSessionError, Certificate, Codes,
  GetBoundProfilePackageResponse_getBoundProfilePackageError, InitiateAuthenticationResponse_initiateAuthenticationError,
  RemoteProfileProvisioningRequest, RemoteProfileProvisioningResponse, RspError, ServerSigned1, SmdpSigned2, StoreMetadataRequest,
  type StatusCode,
} from '@zkesim/protocol';
import { authenticateClient } from '../../es9plus/authenticateClient.js';
import { cancelSession } from '../../es9plus/cancelSession.js';
import type { Es9Context } from '../../es9plus/context.js';
import { getBoundProfilePackage } from '../../es9plus/getBoundProfilePackage.js';
import { handleNotification } from '../../es9plus/handleNotification.js';
import { initiateAuthentication } from '../../es9plus/initiateAuthentication.js';
import type { HttpRoute, RouteResult } from '@zkesim/rsp-server';

/** SPEC-AMBIGUITY: this content type of the ASN.1 binding is unconfirmed; we send it and accept any request type. */
export const asn1ContentType = 'application/x-gsma-rsp-asn1';

/** One function's error INTEGER (RSPDefinitions): the number each ES9+ status code maps to, and the number for any other failure. */
interface ErrorTable {
  readonly numbers: ReadonlyArray<readonly [StatusCode, number]>;
  readonly otherwise: number;
}

const initiateAuthenticationError = InitiateAuthenticationResponse_initiateAuthenticationError;
const initiateAuthenticationErrors: ErrorTable = {
  numbers: [
    [Codes.smdpAddressInvalid, initiateAuthenticationError.invalidDpAddress],
    [Codes.svnUnsupported, initiateAuthenticationError.euiccVersionNotSupportedByDp],
    [Codes.ciPublicKeyUnsupported, initiateAuthenticationError.ciPKNotSupported],
    [Codes.smdpCertificateUnavailable, initiateAuthenticationError.ciPKNotSupported],
  ],
  // SPEC-AMBIGUITY: initiateAuthenticationError names no undefinedError; any other failure gets the number the
  // other ES9+ error INTEGERs give undefinedError.
  otherwise: AuthenticateClientResponseEs9_authenticateClientError.undefinedError,
};
const authenticateClientError = AuthenticateClientResponseEs9_authenticateClientError;
const authenticateClientErrors: ErrorTable = {
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
};
const getBoundProfilePackageError = GetBoundProfilePackageResponse_getBoundProfilePackageError;
const getBoundProfilePackageErrors: ErrorTable = {
  numbers: [
    [Codes.euiccVerificationFailed, getBoundProfilePackageError.euiccSignatureInvalid],
    [Codes.confirmationCodeMissing, getBoundProfilePackageError.confirmationCodeMissing],
    [Codes.confirmationCodeRefused, getBoundProfilePackageError.confirmationCodeRefused],
    [Codes.confirmationCodeRetriesExceeded, getBoundProfilePackageError.confirmationCodeRetriesExceeded],
    [Codes.transactionIdUnknown, getBoundProfilePackageError.invalidTransactionId],
  ],
  otherwise: getBoundProfilePackageError.undefinedError,
};
const cancelSessionError = CancelSessionResponseEs9_cancelSessionError;
const cancelSessionErrors: ErrorTable = {
  numbers: [
    [Codes.transactionIdUnknown, cancelSessionError.invalidTransactionId],
    [Codes.euiccVerificationFailed, cancelSessionError.euiccSignatureInvalid],
  ],
  otherwise: cancelSessionError.undefinedError,
};

function errorNumber(table: ErrorTable, error: unknown): number {
  if (!(error instanceof RspError)) throw error;
  return table.numbers.find(([code]) => error.is(code))?.[1] ?? table.otherwise;
}

function der(response: RemoteProfileProvisioningResponse): RouteResult {
  return { status: 200, body: RemoteProfileProvisioningResponse.encode(response), contentType: asn1ContentType };
}

export function asn1BindingRoute(ctx: Es9Context): HttpRoute {
  return {
    interface: 'asn1',
    function: 'remoteProfileProvisioning',
    requiresClient: false,
    handle: async (input) => {
      let request: RemoteProfileProvisioningRequest;
      try {
        request = RemoteProfileProvisioningRequest.decode(input.body, { maxLength: 1 << 20, maxDepth: 48 });
      } catch (error) {
        throw new RspError(Codes.invalidRequestField, `not a RemoteProfileProvisioningRequest: ${error instanceof Error ? error.message : String(error)}`, {
          subjectIdentifier: 'body',
          cause: error,
        });
      }
      return dispatch(ctx, request);
    },
  };
}

async function dispatch(ctx: Es9Context, request: RemoteProfileProvisioningRequest): Promise<RouteResult> {
  if ('initiateAuthenticationRequest' in request) {
    const r = request.initiateAuthenticationRequest;
    try {
      const out = initiateAuthentication(ctx, r);
      return der({
        initiateAuthenticationResponse: {
          initiateAuthenticationOk: {
            transactionId: out.transactionId,
            serverSigned1: ServerSigned1.decode(out.serverSigned1),
            serverSignature1: out.serverSignature1,
            euiccCiPKIdToBeUsed: out.euiccCiPKIdToBeUsed,
            serverCertificate: Certificate.decode(out.serverCertificate),
          },
        },
      });
    } catch (error) {
      return der({ initiateAuthenticationResponse: { initiateAuthenticationError: errorNumber(initiateAuthenticationErrors, error) } });
    }
  }
  if ('authenticateClientRequest' in request) {
    try {
      const out = await authenticateClient(ctx, request.authenticateClientRequest);
      return der({
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
      });
    } catch (error) {
      return der({ authenticateClientResponseEs9: { authenticateClientError: errorNumber(authenticateClientErrors, error) } });
    }
  }
  if ('getBoundProfilePackageRequest' in request) {
    try {
      const out = await getBoundProfilePackage(ctx, request.getBoundProfilePackageRequest);
      return der({
        getBoundProfilePackageResponse: {
          getBoundProfilePackageOk: { transactionId: out.transactionId, boundProfilePackage: BoundProfilePackage.decode(out.boundProfilePackage) },
        },
      });
    } catch (error) {
      return der({ getBoundProfilePackageResponse: { getBoundProfilePackageError: errorNumber(getBoundProfilePackageErrors, error) } });
    }
  }
  if ('cancelSessionRequestEs9' in request) {
    try {
      await cancelSession(ctx, request.cancelSessionRequestEs9);
      return der({ cancelSessionResponseEs9: { cancelSessionOk: {} } });
    } catch (error) {
      return der({ cancelSessionResponseEs9: { cancelSessionError: errorNumber(cancelSessionErrors, error) } });
    }
  }
  await handleNotification(ctx, request.handleNotification);
  return { status: 204 };
}
