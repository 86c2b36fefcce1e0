// ES10b.GetRAT (SGP.22 §5.7.22): the Rules Authorisation Table set at manufacture (core/rat.ts).
import { GetRatRequest, GetRatResponse } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { rulesAuthorisationTable } from '../core/rat.js';
import { decodeRequest } from '../core/requestCodec.js';

export const getRat: Es10Handler = (request, context) => {
  decodeRequest(GetRatRequest, request);
  return GetRatResponse.encode({ rat: rulesAuthorisationTable(context.state.quirks) });
};
