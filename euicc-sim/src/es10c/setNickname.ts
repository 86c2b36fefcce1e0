// ES10c.SetNickname (SGP.22 §5.7.21).
import { SetNicknameRequest, SetNicknameResponse, SetNicknameResponse_setNicknameResult } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { findProfile, replaceProfile } from '../core/profiles.js';
import { decodeRequest } from '../core/requestCodec.js';

const result = SetNicknameResponse_setNicknameResult;

export const setNickname: Es10Handler = (request, context) => {
  const { iccid, profileNickname } = decodeRequest(SetNicknameRequest, request);
  const answer = (setNicknameResult: number): Uint8Array => SetNicknameResponse.encode({ setNicknameResult });
  const target = findProfile(context.state, { iccid });
  if (target === undefined) return answer(result.iccidNotFound);
  context.commit(replaceProfile(context.state, target, { ...target, profileNickname }));
  return answer(result.ok);
};
