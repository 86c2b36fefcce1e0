import { describe, expect, it } from 'vitest';
import { bspSharedInfo, deriveBspKeys } from './kdf.js';
import { CryptoInputError } from '../errors.js';
import { hex, toHex } from '../testing/fixtures.js';

// SGP.22 §2.6.4.2 X9.63 KDF: vector A computed independently (Python `cryptography`), B from an SM-DP+ trace.
const hostId = hex('8080808080808080');

describe('BSP key derivation (SGP.22 §2.6.4.2, ANSI X9.63 with SHA-256)', () => {
  it('vector A: SharedInfo and MCV0 / S-ENC / S-MAC', () => {
    const eid = hex('89049032123451234512345678901335');
    expect(toHex(bspSharedInfo(hostId, eid))).toBe('88100880808080808080801089049032123451234512345678901335');
    const keys = deriveBspKeys({ sharedSecret: hex('8902dca391bbb22570fe60c176076246f568b1941265dff1d729e63039658089'), hostId, eid });
    expect(toHex(keys.initialMcv)).toBe('734bc93ddb10c71c5ad13d420dc08b5b');
    expect(toHex(keys.sEnc)).toBe('d782d575b22a38334556a3d9a1e2ae6b');
    expect(toHex(keys.sMac)).toBe('a35addc192ae8f934e2932116c7e89e7');
  });

  it('vector B (third-party SM-DP+ trace)', () => {
    const keys = deriveBspKeys({
      sharedSecret: hex('c9a993dd4879a8f7161f2085410edd4f9652f1df37be097ba96ba2ca6be528fe'),
      hostId,
      eid: hex('89049032123451234512345678901235'),
    });
    expect(toHex(keys.initialMcv)).toBe('406d507b448a699e7a36a38494debbde');
    expect(toHex(keys.sEnc)).toBe('472f5bfadd97f21d34f3ce9b51b92751');
    expect(toHex(keys.sMac)).toBe('9ec07f5b36a13e12a991d66e294e6242');
  });

  it('rejects a hostId outside 1..16 bytes, an ASCII EID and a short secret', () => {
    const eid = hex('89049032123451234512345678901235');
    const sharedSecret = new Uint8Array(32);
    expect(() => deriveBspKeys({ sharedSecret, hostId: new Uint8Array(0), eid })).toThrow(CryptoInputError);
    expect(() => deriveBspKeys({ sharedSecret, hostId: new Uint8Array(17), eid })).toThrow(CryptoInputError);
    expect(() => deriveBspKeys({ sharedSecret, hostId, eid: new TextEncoder().encode('89049032123451234512345678901235') })).toThrow(CryptoInputError);
    expect(() => deriveBspKeys({ sharedSecret: sharedSecret.subarray(1), hostId, eid })).toThrow(CryptoInputError);
  });
});
