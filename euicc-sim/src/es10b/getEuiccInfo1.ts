// ES10b.GetEUICCInfo1 (SGP.22 §5.7.8).
import { EUICCInfo1, GetEuiccInfo1Request } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { euiccInfo1 } from '../core/euiccInfo.js';
import { decodeRequest } from '../core/requestCodec.js';

export const getEuiccInfo1: Es10Handler = (request, { state }) => {
  decodeRequest(GetEuiccInfo1Request, request);
  return EUICCInfo1.encode(euiccInfo1(state));
};
