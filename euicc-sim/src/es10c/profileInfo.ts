// ProfileInfo (SGP.22 §5.7.15, tag E3) of an installed profile, filtered by a GetProfilesInfo tagList.
import { DpProprietaryData, type ProfileInfo } from '@zkesim/protocol';
import type { ProfileRecord } from '../core/state.js';

/** The ProfileInfo field each tag of a tagList selects (tags from the RSPDefinitions ASN.1). */
const FIELD_OF_TAG: ReadonlyMap<number, keyof ProfileInfo> = new Map<number, keyof ProfileInfo>([
  [0x5a, 'iccid'],
  [0x4f, 'isdpAid'],
  [0x9f70, 'profileState'],
  [0x90, 'profileNickname'],
  [0x91, 'serviceProviderName'],
  [0x92, 'profileName'],
  [0x93, 'iconType'],
  [0x94, 'icon'],
  [0x95, 'profileClass'],
  [0xb6, 'notificationConfigurationInfo'],
  [0xb7, 'profileOwner'],
  [0xb8, 'dpProprietaryData'],
  [0x99, 'profilePolicyRules'],
]);

export class TagListError extends Error {
  override readonly name = 'TagListError';
}

/** Parses a tagList ('5C' value: concatenated BER tags, e.g. 5A 9F70 92) into ProfileInfo field names. */
export function fieldsOfTagList(tagList: Uint8Array): Set<keyof ProfileInfo> {
  const fields = new Set<keyof ProfileInfo>();
  let offset = 0;
  while (offset < tagList.length) {
    const first = tagList[offset] ?? 0;
    let tag = first;
    offset += 1;
    if ((first & 0x1f) === 0x1f) {
      const second = tagList[offset];
      if (second === undefined || (second & 0x80) !== 0) throw new TagListError('tagList holds a tag longer than two bytes or truncated');
      tag = (first << 8) | second;
      offset += 1;
    }
    const field = FIELD_OF_TAG.get(tag);
    // SGP.22 §5.7.15: tags the eUICC does not know are ignored.
    if (field !== undefined) fields.add(field);
  }
  return fields;
}

export function profileInfoOf(profile: ProfileRecord, fields: ReadonlySet<keyof ProfileInfo> | undefined): ProfileInfo {
  const full: ProfileInfo = {
    iccid: profile.iccid,
    isdpAid: profile.isdpAid,
    profileState: profile.profileState,
    serviceProviderName: profile.serviceProviderName,
    profileName: profile.profileName,
    profileClass: profile.profileClass,
  };
  if (profile.profileNickname !== undefined) full.profileNickname = profile.profileNickname;
  if (profile.iconType !== undefined) full.iconType = profile.iconType;
  if (profile.icon !== undefined) full.icon = profile.icon;
  if (profile.notificationConfigurationInfo.length > 0) full.notificationConfigurationInfo = [...profile.notificationConfigurationInfo];
  if (profile.profileOwner !== undefined) full.profileOwner = profile.profileOwner;
  if (profile.dpProprietaryData !== undefined) full.dpProprietaryData = DpProprietaryData.decode(profile.dpProprietaryData);
  if (profile.profilePolicyRules !== undefined) full.profilePolicyRules = profile.profilePolicyRules;
  if (fields === undefined) return full;
  const filtered: ProfileInfo = {};
  for (const field of fields) {
    if (full[field] !== undefined) Object.assign(filtered, { [field]: full[field] });
  }
  return filtered;
}
