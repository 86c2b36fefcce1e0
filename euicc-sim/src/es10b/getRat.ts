// ES10b.GetRAT (SGP.22 §5.7.22): the Rules Authorisation Table set at manufacture.
import { GetRatRequest, GetRatResponse, PprIds, bitStringFromNames, bitStringFromPositions } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';

/**
 * SPEC-AMBIGUITY: SGP.22 leaves the RAT content to the eUICC manufacturer. This emulator allows PPR1 and PPR2
 * for every operator (mccMnc 'EEEEEE': wildcard digits per SGP.22 §2.9.2.x) without end-user consent.
 */
const ANY_OPERATOR = Uint8Array.of(0xee, 0xee, 0xee);

export const getRat: Es10Handler = (request) => {
  decodeRequest(GetRatRequest, request);
  return GetRatResponse.encode({
    rat: [{ pprIds: bitStringFromNames(PprIds, ['ppr1', 'ppr2']), allowedOperators: [{ mccMnc: ANY_OPERATOR }], pprFlags: bitStringFromPositions([]) }],
  });
};
