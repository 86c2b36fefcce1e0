// ES10c.GetEID (SGP.22 §5.7.20): GetEuiccDataRequest 'BF3E' with tagList '5A'.
import { ApduError, GetEuiccDataRequest, GetEuiccDataResponse, StatusWord } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';

export const getEid: Es10Handler = (request, { state }) => {
  const { tagList } = decodeRequest(GetEuiccDataRequest, request);
  // SGP.22 §5.7.20: "the value SHALL be set to '5A'"; no error result is defined, so other values get 6A88.
  if (tagList.length !== 1 || tagList[0] !== 0x5a) throw new ApduError(StatusWord.referencedDataNotFound, 'GetEID tagList must be 5A');
  return GetEuiccDataResponse.encode({ eidValue: state.eid });
};
