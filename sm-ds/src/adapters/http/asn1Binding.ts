// The SM-DS's ES11 functions on the ASN.1 binding (SGP.22 v2.2.2 §6.6, `/gsma/rsp2/asn1`): InitiateAuthentication
// and AuthenticateClient (answered as AuthenticateClientResponseEs11), and per function the table from our status
// codes to its error INTEGER. Decoding, DER rendering and the route are rsp-server's, as for the SM-DP+.
import {
  AuthenticateClientResponseEs11_authenticateClientError, Certificate, Codes, InitiateAuthenticationResponse_initiateAuthenticationError, ServerSigned1,
} from '@zkesim/protocol';
import { answering, asn1BindingRoute, asn1ErrorTable, type HttpRoute } from '@zkesim/rsp-server';
import type { Registrant } from '../../core/eventStore.js';
import { authenticateClient, initiateAuthentication } from '../../es11/authentication.js';
import type { Es11Context } from '../../es11/context.js';

// SPEC-AMBIGUITY: initiateAuthenticationError names the SM-DP+'s refusals (invalidDpAddress, …); an SM-DS answers
// its 8.9.x codes with the same numbers, and any other failure with the number of undefinedError.
const initiateAuthenticationErrors = asn1ErrorTable(
  InitiateAuthenticationResponse_initiateAuthenticationError,
  (n) => ({ initiateAuthenticationResponse: { initiateAuthenticationError: n } }),
  {
    invalidDpAddress: [Codes.smdsAddressInvalid],
    euiccVersionNotSupportedByDp: [Codes.smdsSvnUnsupported],
    ciPKNotSupported: [Codes.smdsCiPublicKeyUnsupported, Codes.smdsCertificateUnavailable],
  },
  AuthenticateClientResponseEs11_authenticateClientError.undefinedError,
);

const authenticateClientErrors = asn1ErrorTable(
  AuthenticateClientResponseEs11_authenticateClientError,
  (n) => ({ authenticateClientResponseEs11: { authenticateClientError: n } }),
  {
    eumCertificateInvalid: [Codes.eumCertificateInvalid],
    eumCertificateExpired: [Codes.eumCertificateExpired],
    euiccCertificateInvalid: [Codes.euiccCertificateInvalid],
    euiccCertificateExpired: [Codes.euiccCertificateExpired],
    euiccSignatureInvalid: [Codes.euiccVerificationFailed],
    invalidTransactionId: [Codes.transactionIdUnknown],
  },
  'undefinedError',
);

export function smdsAsn1Route(ctx: Es11Context): HttpRoute<Registrant> {
  return asn1BindingRoute<Registrant>({
    initiateAuthenticationRequest: answering(initiateAuthenticationErrors, async (request, input) => {
      const out = await initiateAuthentication(
        { ...ctx, sessions: ctx.sessions.forSource(input.source ?? 'unknown') },
        { euiccChallenge: request.euiccChallenge, euiccInfo1: request.euiccInfo1, smdsAddress: request.smdpAddress },
      );
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
      return { authenticateClientResponseEs11: { authenticateClientOk: { transactionId: out.transactionId, eventEntries: out.eventEntries } } };
    }),
  });
}
