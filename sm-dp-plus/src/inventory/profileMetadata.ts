// The profile metadata an operator gives a profile (SGP.22 v2.2.2 §4.4 StoreMetadataRequest): icon, profile
// class, Profile Owner, Profile Policy Rules and notification configuration, on top of the service provider
// and profile name of the template. Validated once when it is given (import-profiles, provision), kept as plain
// JSON with the profile, and turned into the StoreMetadataRequest that ES9+.AuthenticateClient returns and the
// BPP carries (§5.6.3, §5.5.3: segments of at most 1020 bytes, so long metadata spans several `88` segments).
import {
  IconType, NotificationEvent, PprIds, ProfileClass, StoreMetadataRequest, bitStringFromNames, iccidToBytes,
  PROFILE_POLICY_RULES, type IccidDigits, type NotificationConfigurationInformation, type ProfilePolicyRule,
} from '@zkesim/protocol';
import type { NotificationConfiguration, OrderRecord, ProfileMetadata, ProfileRecord, ProfileTemplate } from '../core/repository.js';

export type { NotificationConfiguration, ProfileMetadata };

type NotificationEventName = NotificationConfiguration['events'][number];

export class ProfileMetadataError extends Error {
  override readonly name = 'ProfileMetadataError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);
const hexPattern = /^(?:[0-9A-Fa-f]{2})+$/;
const metadataKeys = ['serviceProviderName', 'profileName', 'iconType', 'icon', 'profileClass', 'profileOwner', 'profilePolicyRules', 'notificationConfiguration'];

function text(object: Plain, key: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ProfileMetadataError(`${path}.${key}`, 'must be a string');
  return value;
}

function oneOf<T extends string>(object: Plain, key: string, path: string, allowed: readonly T[]): T | undefined {
  const value = text(object, key, path);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) throw new ProfileMetadataError(`${path}.${key}`, `must be one of ${allowed.join(', ')}`);
  return value as T | undefined;
}

function list(object: Plain, key: string, path: string): unknown[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ProfileMetadataError(`${path}.${key}`, 'must be a list');
  return value;
}

/** Checks metadata given as JSON or YAML (`path` names it in errors) and returns it typed. */
export function parseProfileMetadata(value: unknown, path = 'metadata'): ProfileMetadata {
  if (!isPlain(value)) throw new ProfileMetadataError(path, 'must be an object');
  for (const key of Object.keys(value)) if (!metadataKeys.includes(key)) throw new ProfileMetadataError(`${path}.${key}`, 'unknown key');
  const metadata: ProfileMetadata = {};
  const serviceProviderName = text(value, 'serviceProviderName', path);
  if (serviceProviderName !== undefined) metadata.serviceProviderName = serviceProviderName;
  const profileName = text(value, 'profileName', path);
  if (profileName !== undefined) metadata.profileName = profileName;
  const iconType = oneOf(value, 'iconType', path, Object.keys(IconType.named) as (keyof typeof IconType.named)[]);
  if (iconType !== undefined) metadata.iconType = iconType;
  // Base64 may come wrapped over lines (RFC 2045, YAML block scalars): whitespace is dropped.
  const icon = text(value, 'icon', path)?.replace(/\s+/g, '');
  if (icon !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(icon)) throw new ProfileMetadataError(`${path}.icon`, 'must be base64');
    metadata.icon = icon;
  }
  const profileClass = oneOf(value, 'profileClass', path, Object.keys(ProfileClass.named) as (keyof typeof ProfileClass.named)[]);
  if (profileClass !== undefined) metadata.profileClass = profileClass;
  if (value.profileOwner !== undefined) {
    const owner = value.profileOwner;
    const ownerPath = `${path}.profileOwner`;
    if (!isPlain(owner)) throw new ProfileMetadataError(ownerPath, 'must be an object with mccMnc (and gid1, gid2)');
    for (const key of Object.keys(owner)) if (!['mccMnc', 'gid1', 'gid2'].includes(key)) throw new ProfileMetadataError(`${ownerPath}.${key}`, 'unknown key');
    const mccMnc = text(owner, 'mccMnc', ownerPath);
    if (mccMnc === undefined || !/^[0-9A-Fa-f]{6}$/.test(mccMnc)) throw new ProfileMetadataError(`${ownerPath}.mccMnc`, 'must be 3 bytes in hex, coded as in 3GPP TS 24.008');
    const gid1 = text(owner, 'gid1', ownerPath);
    const gid2 = text(owner, 'gid2', ownerPath);
    for (const [key, gid] of [['gid1', gid1], ['gid2', gid2]] as const) {
      if (gid !== undefined && !hexPattern.test(gid)) throw new ProfileMetadataError(`${ownerPath}.${key}`, 'must be hex');
    }
    metadata.profileOwner = { mccMnc: mccMnc.toUpperCase(), ...(gid1 === undefined ? {} : { gid1 }), ...(gid2 === undefined ? {} : { gid2 }) };
  }
  const rules = list(value, 'profilePolicyRules', path);
  if (rules !== undefined) {
    metadata.profilePolicyRules = rules.map((rule, index) => {
      if (typeof rule !== 'string' || !(PROFILE_POLICY_RULES as readonly string[]).includes(rule)) {
        throw new ProfileMetadataError(`${path}.profilePolicyRules[${index}]`, `must be one of ${PROFILE_POLICY_RULES.join(', ')}`);
      }
      return rule as ProfilePolicyRule;
    });
  }
  const notifications = list(value, 'notificationConfiguration', path);
  if (notifications !== undefined) {
    metadata.notificationConfiguration = notifications.map((entry, index) => {
      const entryPath = `${path}.notificationConfiguration[${index}]`;
      if (!isPlain(entry)) throw new ProfileMetadataError(entryPath, 'must be an object with events and address');
      const address = text(entry, 'address', entryPath);
      if (address === undefined || address.length === 0) throw new ProfileMetadataError(`${entryPath}.address`, 'is required');
      const events = (list(entry, 'events', entryPath) ?? []).map((event, eventIndex) => {
        if (typeof event !== 'string' || !(event in NotificationEvent.named)) {
          throw new ProfileMetadataError(`${entryPath}.events[${eventIndex}]`, `must be one of ${Object.keys(NotificationEvent.named).join(', ')}`);
        }
        return event as NotificationEventName;
      });
      return { events, address };
    });
  }
  if ((metadata.icon === undefined) !== (metadata.iconType === undefined)) throw new ProfileMetadataError(path, 'icon and iconType go together (SGP.22 §4.4)');
  // Encoding once with a dummy ICCID applies every size constraint of StoreMetadataRequest (names, icon).
  try {
    storeMetadataRequest('8900000000000000000' as IccidDigits, { serviceProviderName: '', profileName: '' }, metadata, { events: [], address: '' });
  } catch (error) {
    throw new ProfileMetadataError(path, `does not fit StoreMetadataRequest: ${error instanceof Error ? error.message : String(error)}`);
  }
  return metadata;
}

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/**
 * The StoreMetadataRequest (BF25) of one profile: the template's names, the profile's own metadata over
 * them, and, unless the metadata configures notifications itself, the configuration's default ones.
 */
export function storeMetadataRequest(
  iccid: IccidDigits,
  template: Pick<ProfileTemplate, 'serviceProviderName' | 'profileName'>,
  metadata: ProfileMetadata | undefined,
  defaultNotifications: { events: readonly NotificationEventName[]; address: string },
): Uint8Array {
  const configured = metadata?.notificationConfiguration ?? (defaultNotifications.events.length === 0 ? [] : [{ events: [...defaultNotifications.events], address: defaultNotifications.address }]);
  const notificationConfigurationInfo: NotificationConfigurationInformation[] = configured.map((entry) => ({
    profileManagementOperation: bitStringFromNames(NotificationEvent, entry.events),
    notificationAddress: entry.address,
  }));
  const owner = metadata?.profileOwner;
  return StoreMetadataRequest.encode({
    iccid: iccidToBytes(iccid),
    serviceProviderName: metadata?.serviceProviderName ?? template.serviceProviderName,
    profileName: metadata?.profileName ?? template.profileName,
    ...(metadata?.iconType === undefined ? {} : { iconType: IconType.named[metadata.iconType] }),
    ...(metadata?.icon === undefined ? {} : { icon: new Uint8Array(Buffer.from(metadata.icon, 'base64')) }),
    ...(metadata?.profileClass === undefined ? {} : { profileClass: ProfileClass.named[metadata.profileClass] }),
    // SGP.22 §3.5: the eUICC sends the enable/disable/delete notifications asked for here.
    ...(notificationConfigurationInfo.length === 0 ? {} : { notificationConfigurationInfo }),
    ...(owner === undefined
      ? {}
      : {
          profileOwner: {
            mccMnc: fromHex(owner.mccMnc),
            ...(owner.gid1 === undefined ? {} : { gid1: fromHex(owner.gid1) }),
            ...(owner.gid2 === undefined ? {} : { gid2: fromHex(owner.gid2) }),
          },
        }),
    ...(metadata?.profilePolicyRules === undefined || metadata.profilePolicyRules.length === 0
      ? {}
      : { profilePolicyRules: bitStringFromNames(PprIds, metadata.profilePolicyRules) }),
  });
}

/** The metadata a download of `profile` for `order` carries: the profile's, with the rules the order sets over them. */
export function downloadMetadata(profile: Pick<ProfileRecord, 'metadata'>, order: Pick<OrderRecord, 'profilePolicyRules'>): ProfileMetadata | undefined {
  if (order.profilePolicyRules === undefined) return profile.metadata;
  return { ...profile.metadata, profilePolicyRules: order.profilePolicyRules };
}

/**
 * The StoreMetadataRequest of a download: what ES9+.AuthenticateClient returns as profileMetadata. `template`: its
 * names as read with the order, or undefined to look the template up.
 */
export async function profileMetadataFor(
  templates: { getProfileTemplate(profileType: string): Promise<ProfileTemplate | undefined> },
  profile: ProfileRecord,
  order: Pick<OrderRecord, 'profilePolicyRules'>,
  defaultNotifications: { events: readonly NotificationEventName[]; address: string },
  known?: Pick<ProfileTemplate, 'serviceProviderName' | 'profileName'>,
): Promise<Uint8Array> {
  const template = known ?? (await templates.getProfileTemplate(profile.profileType));
  if (template === undefined) throw new Error(`profile type ${profile.profileType} has no template`);
  return storeMetadataRequest(profile.iccid, template, downloadMetadata(profile, order), defaultNotifications);
}
