// The SIP binding's pure functions: scopes per domain and epoch, messages that change with every bound field,
// media keys from SDP (RFC 8122 fingerprints, RFC 4568 crypto lines), and the pseudonymous address format.
import { describe, expect, it } from 'vitest';
import { inviteMessage, mediaKeys, pseudonymousAddress, registerMessage, registrationEpoch, registrationScope, sipDomain } from './binding.js';

describe('SIP binding', () => {
  it('gives one scope per domain and epoch, and counts epochs from the Unix epoch', () => {
    expect(registrationEpoch(86_400_000 * 3 + 5, 86_400)).toBe(3);
    expect(registrationEpoch(86_400_000 * 3 - 1, 86_400)).toBe(2);
    expect(() => registrationEpoch(0, 0)).toThrow('epochSeconds');
    const scope = registrationScope('zk.test', 7);
    expect(registrationScope('ZK.test', 7)).toBe(scope);
    expect(registrationScope('zk.test', 8)).not.toBe(scope);
    expect(registrationScope('other.test', 7)).not.toBe(scope);
  });

  it('refuses a domain that is not a host name', () => {
    for (const bad of ['', 'a b', 'zk.test:5060', '-zk.test', 'zk..test', 'user@zk.test']) expect(() => sipDomain(bad)).toThrow(RangeError);
  });

  it('changes the message with every field a request binds', () => {
    const register = { callId: 'c@zk.test', cseq: 1, contact: 'sip:u@127.0.0.1:5070;transport=tcp', to: 'sip:zk-a@zk.test' };
    const base = registerMessage(register);
    for (const change of [{ callId: 'd@zk.test' }, { cseq: 2 }, { contact: 'sip:u@127.0.0.1:5071;transport=tcp' }, { to: 'sip:zk-b@zk.test' }]) {
      expect(registerMessage({ ...register, ...change })).not.toBe(base);
    }
    const invite = { callId: 'c@zk.test', cseq: 1, from: 'sip:zk-a@zk.test', to: 'sip:zk-b@zk.test', mediaKeys: ['fingerprint:sha-256 AA:BB'] };
    const offer = inviteMessage(invite);
    expect(inviteMessage({ ...invite, mediaKeys: ['fingerprint:sha-256 AA:BC'] })).not.toBe(offer);
    expect(inviteMessage({ ...invite, from: 'sip:zk-c@zk.test' })).not.toBe(offer);
    // Not the REGISTER message of the same strings: each has its own domain-separation tag.
    expect(offer).not.toBe(registerMessage({ callId: invite.callId, cseq: 1, contact: invite.from, to: invite.to }));
  });

  it('reads the media keys of an SDP offer, session and media level, normalising the fingerprint case', () => {
    const sdp = [
      'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'a=fingerprint:SHA-256 ab:cd:ef', 't=0 0',
      'm=audio 9 UDP/TLS/RTP/SAVP 0', 'a=rtpmap:0 PCMU/8000', 'a=fingerprint:sha-1 01:02',
      'm=audio 9 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', '',
    ].join('\r\n');
    expect(mediaKeys(sdp)).toEqual(['fingerprint:sha-256 AB:CD:EF', 'fingerprint:sha-1 01:02', 'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR']);
    expect(mediaKeys('v=0\r\nm=audio 9 RTP/AVP 0\r\n')).toEqual([]);
  });

  it('derives a 160-bit lower-case base32 address per domain from a nullifier', () => {
    const address = pseudonymousAddress('zk.test', 123456789n);
    expect(address).toMatch(/^zk-[a-z2-7]{32}@zk\.test$/);
    expect(pseudonymousAddress('zk.test', '123456789')).toBe(address);
    expect(pseudonymousAddress('zk.test', 123456790n)).not.toBe(address);
    expect(pseudonymousAddress('other.test', 123456789n).split('@')[0]).not.toBe(address.split('@')[0]);
  });
});
