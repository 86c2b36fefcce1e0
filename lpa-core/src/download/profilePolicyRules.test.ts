// SGP.22 v2.2.2 §2.9.2: PPRs in the profile metadata against the eUICC's Rules Authorisation Table.
import { describe, expect, it } from 'vitest';
import { PprIds, authoriseProfilePolicyRules as decidePpr, bitStringFromNames, bitStringFromPositions, type StoreMetadataRequest } from '@zkesim/protocol';

const owner = { mccMnc: Uint8Array.of(0x32, 0xf4, 0x51) }; // MCC 234, MNC 15
const metadata = (pprs: ('ppr1' | 'ppr2')[], profileOwner = owner): StoreMetadataRequest => ({
  iccid: new Uint8Array(10),
  serviceProviderName: 'op',
  profileName: 'p',
  profileOwner,
  profilePolicyRules: bitStringFromNames(PprIds, pprs),
});
const rule = (pprs: ('ppr1' | 'ppr2')[], mccMnc: Uint8Array, consent = false) => ({
  pprIds: bitStringFromNames(PprIds, pprs),
  allowedOperators: [{ mccMnc }],
  pprFlags: consent ? bitStringFromPositions([0]) : bitStringFromPositions([]),
});

describe('Profile Policy Rules against the RAT (SGP.22 §2.9.2)', () => {
  it('allows a profile without PPRs whatever the RAT says', () => {
    expect(decidePpr({ ...metadata([]), profilePolicyRules: bitStringFromPositions([]) }, [])).toEqual({ pprs: [], allowed: true, consentRequired: false });
  });

  it('allows a PPR that a rule authorises for the owner, with the rule\'s consent flag', () => {
    expect(decidePpr(metadata(['ppr1']), [rule(['ppr1'], Uint8Array.of(0x32, 0xf4, 0x51), true)])).toEqual({ pprs: ['ppr1'], allowed: true, consentRequired: true });
  });

  it('matches E nibbles as wildcards', () => {
    expect(decidePpr(metadata(['ppr2']), [rule(['ppr2'], Uint8Array.of(0xee, 0xee, 0xee))]).allowed).toBe(true);
  });

  it('refuses a PPR with no rule for this operator, or no owner at all', () => {
    expect(decidePpr(metadata(['ppr1', 'ppr2']), [rule(['ppr1'], Uint8Array.of(0x32, 0xf4, 0x51))]).allowed).toBe(false);
    expect(decidePpr(metadata(['ppr1']), [rule(['ppr1'], Uint8Array.of(0x62, 0xf2, 0x20))]).allowed).toBe(false);
    const { profileOwner: _dropped, ...withoutOwner } = metadata(['ppr1']);
    expect(decidePpr(withoutOwner, [rule(['ppr1'], Uint8Array.of(0xee, 0xee, 0xee))]).allowed).toBe(false);
  });
});
