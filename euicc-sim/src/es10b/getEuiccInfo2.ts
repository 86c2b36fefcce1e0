// ES10b.GetEUICCInfo2 (SGP.22 §5.7.8).
import { EUICCInfo2, GetEuiccInfo2Request } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { euiccInfo2 } from '../core/euiccInfo.js';
import { decodeRequest } from '../core/requestCodec.js';

export const getEuiccInfo2: Es10Handler = (request, { state }) => {
  decodeRequest(GetEuiccInfo2Request, request);
  return EUICCInfo2.encode(euiccInfo2(state));
};
