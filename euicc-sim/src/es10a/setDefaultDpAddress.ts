// ES10a.SetDefaultDpAddress (SGP.22 §5.7.4): an empty address removes the default SM-DP+ address.
import { SetDefaultDpAddressRequest, SetDefaultDpAddressResponse, SetDefaultDpAddressResponse_setDefaultDpAddressResult } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';

export const setDefaultDpAddress: Es10Handler = (request, context) => {
  const { defaultDpAddress } = decodeRequest(SetDefaultDpAddressRequest, request);
  const { defaultDpAddress: _previous, ...rest } = context.state;
  context.commit(defaultDpAddress === '' ? rest : { ...rest, defaultDpAddress });
  return SetDefaultDpAddressResponse.encode({ setDefaultDpAddressResult: SetDefaultDpAddressResponse_setDefaultDpAddressResult.ok });
};
