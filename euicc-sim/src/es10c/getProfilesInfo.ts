// ES10c.GetProfilesInfo (SGP.22 §5.7.15): ProfileInfoListRequest 'BF2D' with optional searchCriteria and
// tagList; answers the matching profiles, or profileInfoListError.
import { ProfileInfoListError, ProfileInfoListRequest, ProfileInfoListResponse, bytesEqual, type ProfileInfo } from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';
import type { ProfileRecord } from '../core/state.js';
import { fieldsOfTagList, profileInfoOf, TagListError } from './profileInfo.js';

export const getProfilesInfo: Es10Handler = (request, { state }) => {
  const { searchCriteria, tagList } = decodeRequest(ProfileInfoListRequest, request);
  let fields: Set<keyof ProfileInfo> | undefined;
  try {
    fields = tagList === undefined ? undefined : fieldsOfTagList(tagList);
  } catch (error) {
    if (!(error instanceof TagListError)) throw error;
    return ProfileInfoListResponse.encode({ profileInfoListError: ProfileInfoListError.named.incorrectInputValues });
  }
  const matches = (profile: ProfileRecord): boolean => {
    if (searchCriteria === undefined) return true;
    if ('isdpAid' in searchCriteria) return bytesEqual(profile.isdpAid, searchCriteria.isdpAid);
    if ('iccid' in searchCriteria) return bytesEqual(profile.iccid, searchCriteria.iccid);
    return profile.profileClass === searchCriteria.profileClass;
  };
  // SPEC-AMBIGUITY: without a tagList SGP.22 lets the eUICC choose the fields; we return every field we hold.
  const list = state.profiles.filter(matches).map((profile) => profileInfoOf(profile, fields));
  return ProfileInfoListResponse.encode({ profileInfoListOk: list });
};
