// ES10b.AuthenticateServer (SGP.22 §5.7.13): checks CERT.XXauth up to the CI selected by
// euiccCiPKIdToBeUsed, serverSignature1 over the received serverSigned1, and the euiccChallenge; then signs
// euiccSigned1 with SK.EUICC.ECDSA of the chain that CI issued.
import {
  AuthenticateServerRequest,
  AuthenticateServerResponse,
  Certificate,
  EuiccSigned1,
  bytesEqual,
  derOf,
  verifyRaw,
  AuthenticateErrorCode,
  id_rspRole_ds_auth,
} from '@zkesim/protocol';
import { parseCertificate, policiesOf } from '@zkesim/pki';
import { registeredIdOf } from '../core/certificates.js';
import type { Es10Handler } from '../core/euicc.js';
import { euiccInfo2 } from '../core/euiccInfo.js';
import { decodeRequest } from '../core/requestCodec.js';
import { checkServerCertificate } from '../core/serverCertificates.js';
import { signWithCredential } from '../core/signing.js';

/** SGP.22 AuthenticateErrorCode, named as in RSPDefinitions. */
const error = AuthenticateErrorCode.named;

export const authenticateServer: Es10Handler = (request, { state, session, deps }) => {
  const { serverSigned1, serverSignature1, euiccCiPKIdToBeUsed, serverCertificate, ctxParams1 } = decodeRequest(AuthenticateServerRequest, request);
  const { transactionId } = serverSigned1;
  const fail = (authenticateErrorCode: number): Uint8Array => {
    session.clear();
    return AuthenticateServerResponse.encode({ authenticateResponseError: { transactionId, authenticateErrorCode } });
  };
  const euiccChallenge = session.data.euiccChallenge;
  if (!session.isAllowed('authenticateServer') || euiccChallenge === undefined) return fail(error.noSessionContext);
  const credentialIndex = state.credentials.findIndex((credential) => bytesEqual(credential.ciPKId, euiccCiPKIdToBeUsed));
  const credential = state.credentials[credentialIndex];
  if (credential === undefined) return fail(error.ciPKUnknown);
  const certificateDer = derOf(serverCertificate);
  // §5.7.13: serverCertificate is CERT.DPauth.ECDSA (ES9+) or CERT.DSauth.ECDSA (ES11, event retrieval); its
  // role policy says which, and the chain rules then hold it to that role.
  const role = serverAuthRole(derOf(serverCertificate));
  const check = checkServerCertificate(state, certificateDer, euiccCiPKIdToBeUsed, role, new Date(deps.clock.now()));
  if (!check.ok) {
    deps.logger.info({ function: 'AuthenticateServer', problem: check.problem, detail: check.detail }, 'server certificate refused');
    return fail(error[check.problem]);
  }
  if (!verifyRaw(check.publicKey, derOf(serverSigned1), serverSignature1)) return fail(error.invalidSignature);
  if (!bytesEqual(serverSigned1.euiccChallenge, euiccChallenge)) return fail(error.euiccChallengeMismatch);

  const euiccSigned1: EuiccSigned1 = {
    transactionId,
    serverAddress: serverSigned1.serverAddress,
    serverChallenge: serverSigned1.serverChallenge,
    euiccInfo2: euiccInfo2(state),
    ctxParams1,
  };
  const euiccSignature1 = signWithCredential(credential, EuiccSigned1.encode(euiccSigned1));
  session.data = {
    euiccChallenge,
    server: {
      transactionId,
      serverAddress: serverSigned1.serverAddress,
      smdpOid: registeredIdOf(certificateDer),
      credentialIndex,
      ciPKId: euiccCiPKIdToBeUsed,
      euiccSignature1,
      matchingId: ctxParams1.ctxParamsForCommonAuthentication.matchingId,
    },
  };
  session.moveTo('authenticated');
  return AuthenticateServerResponse.encode({
    authenticateResponseOk: {
      euiccSigned1,
      euiccSignature1,
      euiccCertificate: Certificate.decode(credential.euiccCertificate),
      eumCertificate: Certificate.decode(credential.eumCertificate),
    },
  });
};

/** The role a serverCertificate claims: SM-DS authentication if it carries id-rspRole-ds-auth, else SM-DP+ authentication. */
function serverAuthRole(certificateDer: Uint8Array): 'dpauth' | 'dsauth' {
  try {
    return policiesOf(parseCertificate(certificateDer)).includes(id_rspRole_ds_auth) ? 'dsauth' : 'dpauth';
  } catch {
    // An unparsable certificate is refused by checkServerCertificate with the right problem.
    return 'dpauth';
  }
}
