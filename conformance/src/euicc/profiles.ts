// ES10c profile cases (§5.7.15 to §5.7.21), and the destructive eUICCMemoryReset case (§5.7.19).
import { DeleteProfileRequest, DeleteProfileResponse, DeleteProfileResponse_deleteResult, DisableProfileRequest, DisableProfileResponse, DisableProfileResponse_disableResult, EnableProfileRequest, EnableProfileResponse, EnableProfileResponse_enableResult, EuiccConfiguredAddressesResponse, GetEuiccDataResponse, ProfileInfoListRequest, ProfileInfoListResponse, SetNicknameRequest, SetNicknameResponse, SetNicknameResponse_setNicknameResult, EuiccMemoryResetRequest, EuiccMemoryResetResponse, EuiccMemoryResetResponse_resetResult, eidWithCheckDigits, type Codec } from '@zkesim/protocol';
import type { EuiccCase } from './env.js';
import { hex, fromHex, ABSENT_ICCID, decode, exact } from './support.js';

export function profileCases(): EuiccCase[] {
  const absent = <T>(id: string, title: string, request: Uint8Array, codec: Codec<T>, read: (value: T) => number, expected: number, name: string): EuiccCase => ({
    id,
    title: `${title} an ICCID the card does not hold: ${name}(${expected})`,
    run: async (t, env) => {
      const response = await env.send(id, request);
      t.equal(`${id} result`, String(expected), String(read(decode(t, id, codec, response))));
      exact(t, id, codec, response);
    },
  });
  return [
    absent('ES10c.EnableProfile.iccidNotFound', 'EnableProfile (§5.7.16) of', EnableProfileRequest.encode({ profileIdentifier: { iccid: ABSENT_ICCID }, refreshFlag: false }), EnableProfileResponse, (v) => v.enableResult, EnableProfileResponse_enableResult.iccidOrAidNotFound, 'iccidOrAidNotFound'),
    absent('ES10c.DisableProfile.iccidNotFound', 'DisableProfile (§5.7.17) of', DisableProfileRequest.encode({ profileIdentifier: { iccid: ABSENT_ICCID }, refreshFlag: false }), DisableProfileResponse, (v) => v.disableResult, DisableProfileResponse_disableResult.iccidOrAidNotFound, 'iccidOrAidNotFound'),
    absent('ES10c.DeleteProfile.iccidNotFound', 'DeleteProfile (§5.7.18) of', DeleteProfileRequest.encode({ iccid: ABSENT_ICCID }), DeleteProfileResponse, (v) => v.deleteResult, DeleteProfileResponse_deleteResult.iccidOrAidNotFound, 'iccidOrAidNotFound'),
    absent('ES10c.SetNickname.iccidNotFound', 'SetNickname (§5.7.21) of', SetNicknameRequest.encode({ iccid: ABSENT_ICCID, profileNickname: 'conformance' }), SetNicknameResponse, (v) => v.setNicknameResult, SetNicknameResponse_setNicknameResult.iccidNotFound, 'iccidNotFound'),
    {
      id: 'ES10c.GetProfilesInfo.searchAbsentIccid',
      title: 'GetProfilesInfo searching an ICCID the card does not hold answers an empty profileInfoListOk (§5.7.15)',
      run: async (t, env) => {
        const response = await env.send('GetProfilesInfo', ProfileInfoListRequest.encode({ searchCriteria: { iccid: ABSENT_ICCID } }));
        const decoded = decode(t, 'ProfileInfoListResponse', ProfileInfoListResponse, response);
        t.ok('profileInfoListOk' in decoded, 'profileInfoListOk');
        if ('profileInfoListOk' in decoded) t.equal('profiles found', '0', String(decoded.profileInfoListOk.length));
      },
    },
    {
      id: 'ES10c.GetProfilesInfo.profiles',
      title: 'GetProfilesInfo lists each profile with a 10-byte ICCID and a profile state of disabled(0) or enabled(1) (§5.7.15)',
      run: async (t, env) => {
        const decoded = decode(t, 'ProfileInfoListResponse', ProfileInfoListResponse, await env.send('GetProfilesInfo', fromHex('BF2D00')));
        if (!('profileInfoListOk' in decoded)) return t.fail(`profileInfoListError ${JSON.stringify(decoded.profileInfoListError)}`);
        t.ok(true, `profileInfoListOk with ${decoded.profileInfoListOk.length} profile(s)`);
        for (const profile of decoded.profileInfoListOk) {
          if (profile.iccid !== undefined) t.equal('ICCID length', '10', String(profile.iccid.length));
          if (profile.profileState !== undefined) t.ok(profile.profileState === 0 || profile.profileState === 1, `profileState of ${hex(profile.iccid)} is 0 or 1`, String(profile.profileState));
        }
      },
    },
    {
      id: 'ES10c.GetEID.checkDigits',
      title: 'GetEUICCData answers a 16-byte EID whose check digits are right (ISO/IEC 7064 MOD 97-10, SGP.29)',
      run: async (t, env) => {
        const response = await env.send('GetEUICCData', fromHex('BF3E035C015A'));
        const eid = hex(decode(t, 'GetEuiccDataResponse', GetEuiccDataResponse, response).eidValue);
        t.equal('EID length (digits)', '32', String(eid.length));
        t.equal('EID check digits', eidWithCheckDigits(eid.slice(0, 30)), eid);
      },
    },
  ];
}

/** Cases that change the card beyond a session: only with --destructive. */
export function destructiveCases(): EuiccCase[] {
  return [
    {
      id: 'ES10c.eUICCMemoryReset.operationalProfiles',
      title: 'eUICCMemoryReset of the operational profiles and the default SM-DP+ address: ok(0) or nothingToDelete(1), then no operational profile and no default address is left (§5.7.19)',
      run: async (t, env) => {
        // resetOptions bits 0 (deleteOperationalProfiles) and 2 (resetDefaultSmdpAddress): 101 then 5 unused bits.
        const response = await env.send('eUICCMemoryReset', EuiccMemoryResetRequest.encode({ resetOptions: { bytes: Uint8Array.of(0xa0), unusedBits: 5 } }));
        const result = decode(t, 'EuiccMemoryResetResponse', EuiccMemoryResetResponse, response).resetResult;
        t.ok(result === EuiccMemoryResetResponse_resetResult.ok || result === EuiccMemoryResetResponse_resetResult.nothingToDelete, 'resetResult is ok(0) or nothingToDelete(1)', String(result));
        const profiles = decode(t, 'ProfileInfoListResponse', ProfileInfoListResponse, await env.send('GetProfilesInfo', fromHex('BF2D00')));
        if (!('profileInfoListOk' in profiles)) return t.fail('profileInfoListError after the reset');
        // profileClass absent means operational(2) (DEFAULT, §5.7.15).
        t.equal('operational profiles left', '0', String(profiles.profileInfoListOk.filter((profile) => (profile.profileClass ?? 2) === 2).length));
        const addresses = decode(t, 'EuiccConfiguredAddressesResponse', EuiccConfiguredAddressesResponse, await env.send('GetEuiccConfiguredAddresses', fromHex('BF3C00')));
        t.equal('defaultDpAddress', '(absent)', addresses.defaultDpAddress ?? '(absent)');
      },
    },
  ];
}
