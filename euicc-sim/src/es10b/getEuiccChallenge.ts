// ES10b.GetEUICCChallenge (SGP.22 §5.7.7): a fresh 16-byte euiccChallenge starts a new RSP session.
import { GetEuiccChallengeRequest, GetEuiccChallengeResponse } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';
import { recordInterruptedInstallation } from './loadBoundProfilePackage.js';

const CHALLENGE_LENGTH = 16;

export const getEuiccChallenge: Es10Handler = (request, context) => {
  const { session, deps } = context;
  decodeRequest(GetEuiccChallengeRequest, request);
  session.require('getEuiccChallenge');
  recordInterruptedInstallation(context);
  const euiccChallenge = deps.random.bytes(CHALLENGE_LENGTH);
  session.clear();
  session.data = { euiccChallenge };
  session.moveTo('challengeIssued');
  return GetEuiccChallengeResponse.encode({ euiccChallenge });
};
