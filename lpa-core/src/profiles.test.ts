import { describe, expect, it } from 'vitest';
import { IconType, ProfileState, iccidToBytes } from '@zkesim/protocol';
import { summarizeProfile } from './profiles.js';

describe('profile summary (ES10c.GetProfilesInfo, SGP.22 §5.7.15)', () => {
  it('carries the icon with its type when the profile metadata had one, and leaves out an empty or untyped icon', () => {
    const base = { iccid: iccidToBytes('8949449999990000020'), profileState: ProfileState.named.enabled };
    expect(summarizeProfile({ ...base, iconType: IconType.named.jpg, icon: Uint8Array.of(0xff, 0xd8) }).profileIcon).toEqual({ iconType: 'jpg', icon: Uint8Array.of(0xff, 0xd8) });
    expect(summarizeProfile({ ...base, iconType: IconType.named.png, icon: new Uint8Array() })).not.toHaveProperty('profileIcon');
    expect(summarizeProfile({ ...base, iconType: 7, icon: Uint8Array.of(1) })).not.toHaveProperty('profileIcon');
    expect(summarizeProfile(base)).toEqual({ iccid: '8949449999990000020', isdpAid: '', profileState: 'enabled', profileClass: 'operational' });
  });
});
