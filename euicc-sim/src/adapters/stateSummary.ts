// The JSON view of an eUICC printed by `zkesim euicc info` (hex only here, at the edge).
import { eidToDigits, iccidToDigits, toHex, ProfileClass, ProfileState, nameOfNumber } from '@zkesim/protocol';
import { freeMemory, type EuiccState } from '../core/state.js';

const hex = (bytes: Uint8Array): string => toHex(bytes, 'upper');

export function stateSummary(state: EuiccState): Record<string, unknown> {
  return {
    eid: eidToDigits(state.eid),
    defaultDpAddress: state.defaultDpAddress ?? null,
    rootDsAddress: state.rootDsAddress,
    freeMemoryBytes: freeMemory(state),
    curves: state.credentials.map((credential) => credential.curve),
    profiles: state.profiles.map((profile) => ({
      iccid: iccidToDigits(profile.iccid),
      isdpAid: hex(profile.isdpAid),
      state: profile.profileState === ProfileState.named.enabled ? 'enabled' : 'disabled',
      nickname: profile.profileNickname ?? null,
      serviceProviderName: profile.serviceProviderName,
      profileName: profile.profileName,
      profileClass: nameOfNumber(ProfileClass.named, profile.profileClass) ?? profile.profileClass,
      profileElements: profile.profileElements.length,
      nonStandardElements: profile.nonStandardElements.map((element) => ({ issuerID: element.issuerID, contentLength: element.content.length })),
      imsi: profile.networkAccess.imsi === undefined ? null : hex(profile.networkAccess.imsi),
      memorySize: profile.memorySize,
    })),
    notifications: state.notifications.map((notification) => ({
      seqNumber: notification.seqNumber,
      profileManagementOperation: notification.profileManagementOperation,
      notificationAddress: notification.notificationAddress,
      iccid: notification.iccid === undefined ? null : iccidToDigits(notification.iccid),
    })),
    quirks: { ...state.quirks, isdRAid: hex(state.quirks.isdRAid) },
  };
}
