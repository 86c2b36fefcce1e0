// Local profile management by the LPA (SGP.22 v2.2.2 §3.2: enable, disable, delete, nickname, list), each
// optionally followed by sending that operation's notifications only.
import { IconType, ProfileState, iccidToDigits, toHex, type ProfileInfo, ProfileClass, nameOfNumber } from '@zkesim/protocol';
import type { LpaContext } from './context.js';
import { deleteProfile, disableProfile, enableProfile, getProfilesInfo, setNickname, type ProfileIdentifier } from './es10-client/es10c.js';
import { processNotifications, type NotificationEventName, type NotificationOutcome } from './notifications.js';

export interface ProfileSummary {
  readonly iccid: string;
  readonly isdpAid: string;
  readonly profileState: 'enabled' | 'disabled' | 'unknown';
  readonly profileNickname?: string;
  readonly serviceProviderName?: string;
  readonly profileName?: string;
  readonly profileClass: keyof typeof ProfileClass.named;
  /** The profile's icon (ProfileInfo iconType and icon, SGP.22 §5.7.15), when the profile metadata had one. */
  readonly profileIcon?: { readonly iconType: keyof typeof IconType.named; readonly icon: Uint8Array };
}

function profileIconOf(info: ProfileInfo): Pick<ProfileSummary, 'profileIcon'> {
  // An icon whose type v2.2.2 does not name is left out: a viewer could not tell how to show it.
  const iconType = info.iconType === undefined ? undefined : nameOfNumber(IconType.named, info.iconType);
  return info.icon === undefined || info.icon.length === 0 || iconType === undefined ? {} : { profileIcon: { iconType, icon: info.icon } };
}

export function summarizeProfile(info: ProfileInfo): ProfileSummary {
  const state = info.profileState === ProfileState.named.enabled ? 'enabled' : info.profileState === ProfileState.named.disabled ? 'disabled' : 'unknown';
  return {
    iccid: info.iccid === undefined ? '' : iccidToDigits(info.iccid),
    isdpAid: info.isdpAid === undefined ? '' : toHex(info.isdpAid, 'upper'),
    profileState: state,
    ...(info.profileNickname === undefined ? {} : { profileNickname: info.profileNickname }),
    ...(info.serviceProviderName === undefined ? {} : { serviceProviderName: info.serviceProviderName }),
    ...(info.profileName === undefined ? {} : { profileName: info.profileName }),
    // ProfileInfo: profileClass DEFAULT operational; a class v2.2.2 does not name is shown as operational too.
    profileClass: nameOfNumber(ProfileClass.named, info.profileClass ?? ProfileClass.named.operational) ?? 'operational',
    ...profileIconOf(info),
  };
}

export async function listProfiles(context: LpaContext): Promise<ProfileSummary[]> {
  return (await getProfilesInfo(context.channel)).map(summarizeProfile);
}

/** The ICCID of a profile named by ICCID or AID (notifications carry the ICCID). */
async function iccidOf(context: LpaContext, profile: ProfileIdentifier): Promise<Uint8Array | undefined> {
  if ('iccid' in profile) return profile.iccid;
  const [info] = await getProfilesInfo(context.channel, { searchCriteria: { isdpAid: profile.isdpAid } });
  return info?.iccid;
}

export interface ProfileOperationOptions {
  readonly refreshFlag?: boolean;
  /** Send this operation's notifications right after it (default false: they wait for `notification process`). */
  readonly sendNotifications?: boolean;
}

export interface ProfileOperationResult {
  readonly iccid?: string;
  readonly notifications: NotificationOutcome[];
}

async function afterOperation(context: LpaContext, iccid: Uint8Array | undefined, event: NotificationEventName, options: ProfileOperationOptions): Promise<ProfileOperationResult> {
  const notifications = options.sendNotifications === true && iccid !== undefined ? await processNotifications(context, { iccid, events: [event] }) : [];
  return { ...(iccid === undefined ? {} : { iccid: iccidToDigits(iccid) }), notifications };
}

export async function enable(context: LpaContext, profile: ProfileIdentifier, options: ProfileOperationOptions = {}): Promise<ProfileOperationResult> {
  const iccid = await iccidOf(context, profile);
  await enableProfile(context.channel, profile, options.refreshFlag ?? false);
  return afterOperation(context, iccid, 'notificationEnable', options);
}

export async function disable(context: LpaContext, profile: ProfileIdentifier, options: ProfileOperationOptions = {}): Promise<ProfileOperationResult> {
  const iccid = await iccidOf(context, profile);
  await disableProfile(context.channel, profile, options.refreshFlag ?? false);
  return afterOperation(context, iccid, 'notificationDisable', options);
}

export async function remove(context: LpaContext, profile: ProfileIdentifier, options: ProfileOperationOptions = {}): Promise<ProfileOperationResult> {
  const iccid = await iccidOf(context, profile);
  await deleteProfile(context.channel, profile);
  return afterOperation(context, iccid, 'notificationDelete', options);
}

export async function nickname(context: LpaContext, iccid: Uint8Array, name: string): Promise<void> {
  await setNickname(context.channel, iccid, name);
}
