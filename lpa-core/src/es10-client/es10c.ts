// ES10c, LPA ↔ eUICC local profile management (SGP.22 v2.2.2 §5.7.15 – §5.7.20).
import {
  DeleteProfileRequest, DeleteProfileResponse, DeleteProfileResponse_deleteResult, DisableProfileRequest, DisableProfileResponse,
  DisableProfileResponse_disableResult, EnableProfileRequest, EnableProfileResponse, EnableProfileResponse_enableResult, GetEuiccDataRequest,
  GetEuiccDataResponse, ProfileInfoListError, ProfileInfoListRequest, ProfileInfoListResponse, SetNicknameRequest, SetNicknameResponse,
  SetNicknameResponse_setNicknameResult, type Es10Sender, type ProfileInfo,
} from '@zkesim/protocol';
import { errorAlternative, es10Call, expectOk } from './call.js';

/** A profile is named by its ICCID (10 bytes, EF.ICCID coding) or by its ISD-P AID. */
export type ProfileIdentifier = { iccid: Uint8Array } | { isdpAid: Uint8Array };

/** §5.7.15 ES10c.GetProfilesInfo (BF2D). */
export async function getProfilesInfo(channel: Es10Sender, request: ProfileInfoListRequest = {}): Promise<ProfileInfo[]> {
  const { value } = await es10Call(channel, 'GetProfilesInfo', ProfileInfoListRequest, request, ProfileInfoListResponse);
  if ('profileInfoListError' in value) throw errorAlternative('GetProfilesInfo', value.profileInfoListError, ProfileInfoListError.named);
  return value.profileInfoListOk;
}

/** §5.7.16 ES10c.EnableProfile (BF31); refreshFlag asks the eUICC for a REFRESH proactive command. */
export async function enableProfile(channel: Es10Sender, profile: ProfileIdentifier, refreshFlag: boolean): Promise<void> {
  const { value } = await es10Call(channel, 'EnableProfile', EnableProfileRequest, { profileIdentifier: profile, refreshFlag }, EnableProfileResponse);
  expectOk('EnableProfile', value.enableResult, EnableProfileResponse_enableResult);
}

/** §5.7.17 ES10c.DisableProfile (BF32). */
export async function disableProfile(channel: Es10Sender, profile: ProfileIdentifier, refreshFlag: boolean): Promise<void> {
  const { value } = await es10Call(channel, 'DisableProfile', DisableProfileRequest, { profileIdentifier: profile, refreshFlag }, DisableProfileResponse);
  expectOk('DisableProfile', value.disableResult, DisableProfileResponse_disableResult);
}

/** §5.7.18 ES10c.DeleteProfile (BF33). */
export async function deleteProfile(channel: Es10Sender, profile: ProfileIdentifier): Promise<void> {
  const { value } = await es10Call(channel, 'DeleteProfile', DeleteProfileRequest, profile, DeleteProfileResponse);
  expectOk('DeleteProfile', value.deleteResult, DeleteProfileResponse_deleteResult);
}

/** §5.7.21 ES10c.SetNickname (BF29). */
export async function setNickname(channel: Es10Sender, iccid: Uint8Array, profileNickname: string): Promise<void> {
  const { value } = await es10Call(channel, 'SetNickname', SetNicknameRequest, { iccid, profileNickname }, SetNicknameResponse);
  expectOk('SetNickname', value.setNicknameResult, SetNicknameResponse_setNicknameResult);
}

/** §5.7.20 ES10c.GetEID (BF3E with tagList 5A). */
export async function getEid(channel: Es10Sender): Promise<Uint8Array> {
  const { value } = await es10Call(channel, 'GetEID', GetEuiccDataRequest, { tagList: Uint8Array.of(0x5a) }, GetEuiccDataResponse);
  return value.eidValue;
}
