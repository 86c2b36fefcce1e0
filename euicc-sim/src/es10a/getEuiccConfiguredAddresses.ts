// ES10a.GetEuiccConfiguredAddresses (SGP.22 §5.7.3).
import { EuiccConfiguredAddressesRequest, EuiccConfiguredAddressesResponse } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';

export const getEuiccConfiguredAddresses: Es10Handler = (request, { state }) => {
  decodeRequest(EuiccConfiguredAddressesRequest, request);
  const response: EuiccConfiguredAddressesResponse = { rootDsAddress: state.rootDsAddress };
  if (state.defaultDpAddress !== undefined) response.defaultDpAddress = state.defaultDpAddress;
  return EuiccConfiguredAddressesResponse.encode(response);
};
