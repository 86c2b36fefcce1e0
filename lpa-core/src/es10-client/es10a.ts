// ES10a, LPA ↔ eUICC addresses (SGP.22 v2.2.2 §5.7.3, §5.7.4).
import { EuiccConfiguredAddressesRequest, EuiccConfiguredAddressesResponse, SetDefaultDpAddressRequest, SetDefaultDpAddressResponse, type Es10Sender, SetDefaultDpAddressResponse_setDefaultDpAddressResult } from '@zkesim/protocol';
import { es10Call, expectOk } from './call.js';

/** §5.7.3 ES10a.GetEuiccConfiguredAddresses (BF3C): default SM-DP+ and root SM-DS addresses. */
export async function getEuiccConfiguredAddresses(channel: Es10Sender): Promise<EuiccConfiguredAddressesResponse> {
  return (await es10Call(channel, 'GetEuiccConfiguredAddresses', EuiccConfiguredAddressesRequest, {}, EuiccConfiguredAddressesResponse)).value;
}

/** §5.7.4 ES10a.SetDefaultDpAddress (BF3F); an empty string removes the default address. */
export async function setDefaultDpAddress(channel: Es10Sender, defaultDpAddress: string): Promise<void> {
  const { value } = await es10Call(channel, 'SetDefaultDpAddress', SetDefaultDpAddressRequest, { defaultDpAddress }, SetDefaultDpAddressResponse);
  expectOk('SetDefaultDpAddress', value.setDefaultDpAddressResult, SetDefaultDpAddressResponse_setDefaultDpAddressResult);
}
