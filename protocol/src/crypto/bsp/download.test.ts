import { describe, expect, it } from 'vitest';
import { BspSession } from './segment.js';
import { protectProfileElements, protectStoreMetadata, unprotectSegments } from './chunks.js';
import { eckaSharedSecret, fixedEckaKeyGenerator } from '../ecka.js';
import { curveNames } from '../curves.js';
import { hex, readSharedSpec, toHex } from '../testing/fixtures.js';

// SGP.22 §2.6.4 and §2.5.4: the SM-DP+ and the eUICC each derive the BSP keys from their own one-time
// private key and the peer's one-time public point, then one protects and the other unprotects.
const eid = hex('89049032123451234512345678901235');
const hostId = hex('8080808080808080');

describe('BSP between an SM-DP+ and an eUICC over ECKA one-time keys', () => {
  it.each(curveNames)('%s: ConfigureISDP, StoreMetadata, ReplaceSessionKeys and a TS.48 UPP arrive intact', (curve) => {
    const generate = fixedEckaKeyGenerator([hex('11'.repeat(32)), hex('22'.repeat(32))]);
    const dp = generate(curve);
    const euicc = generate(curve);
    const sender = BspSession.derive({ sharedSecret: eckaSharedSecret(dp.privateKey, euicc.publicPoint), hostId, eid });
    const receiver = BspSession.derive({ sharedSecret: eckaSharedSecret(euicc.privateKey, dp.publicPoint), hostId, eid });

    const upp = new Uint8Array(readSharedSpec('upp/TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der'));
    const metadata = Uint8Array.from({ length: 1500 }, (_, i) => i & 0xff);
    const ppk = { enc: hex('01'.repeat(16)), mac: hex('02'.repeat(16)), mcv: hex('03'.repeat(16)) };
    const replaceSessionKeys = hex(`bf2636 8010${toHex(ppk.mcv)} 8110${toHex(ppk.enc)} 8210${toHex(ppk.mac)}`);

    const configure = sender.protectEncrypted(0x87, hex('bf2400'));
    const store = protectStoreMetadata(sender, metadata);
    const replace = sender.protectEncrypted(0x87, replaceSessionKeys);
    sender.replaceSessionKeys(ppk.enc, ppk.mac, ppk.mcv);
    const profile = protectProfileElements(sender, upp);

    expect(toHex(receiver.unprotect(configure).plaintext)).toBe('bf2400');
    expect(toHex(unprotectSegments(receiver, store, 0x88))).toBe(toHex(metadata));
    expect(toHex(receiver.unprotect(replace).plaintext)).toBe(toHex(replaceSessionKeys));
    receiver.replaceSessionKeys(ppk.enc, ppk.mac, ppk.mcv);
    expect(toHex(unprotectSegments(receiver, profile, 0x86))).toBe(toHex(upp));
    expect(receiver.nextCounter).toBe(profile.length + 1);
  });
});
