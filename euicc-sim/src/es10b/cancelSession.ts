// ES10b.CancelSession (SGP.22 §5.7.14, §3.0.2): ends the ongoing RSP session and signs
// euiccCancelSessionSigned so the SM-DP+ can close its side (ES9+.CancelSession).
import { CancelSessionRequest, CancelSessionResponse, EuiccCancelSessionSigned, bytesEqual, CancelSessionResponse_cancelSessionResponseError } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';
import { signWithCredential } from '../core/signing.js';

const error = CancelSessionResponse_cancelSessionResponseError;

export const cancelSession: Es10Handler = (request, { state, session }) => {
  const { transactionId, reason } = decodeRequest(CancelSessionRequest, request);
  const server = session.data.server;
  if (!session.isAllowed('cancelSession') || server === undefined || !bytesEqual(server.transactionId, transactionId)) {
    return CancelSessionResponse.encode({ cancelSessionResponseError: error.invalidTransactionId });
  }
  const credential = state.credentials[server.credentialIndex];
  if (credential === undefined || server.smdpOid === undefined) {
    session.clear();
    return CancelSessionResponse.encode({ cancelSessionResponseError: error.undefinedError });
  }
  const signed: EuiccCancelSessionSigned = { transactionId, smdpOid: server.smdpOid, reason };
  const euiccCancelSessionSignature = signWithCredential(credential, EuiccCancelSessionSigned.encode(signed));
  session.clear();
  return CancelSessionResponse.encode({ cancelSessionResponseOk: { euiccCancelSessionSigned: signed, euiccCancelSessionSignature } });
};
