// The per-process eUICC keys of PostgreSQL sessions: a key is reused only for the same session and the very
// same SPKI bytes; anything else is exported or imported anew, so the row stays the truth.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionKeys } from './sessionKeys.js';

const spkiHex = (key: KeyObject): string => key.export({ type: 'spki', format: 'der' }).toString('hex');
const importKey = (spki: string): KeyObject => createPublicKey({ key: Buffer.from(spki, 'hex'), format: 'der', type: 'spki' });
const keys = (['prime256v1', 'brainpoolP256r1'] as const).map((namedCurve) => generateKeyPairSync('ec', { namedCurve }).publicKey);
const [p256, brainpool] = keys as [KeyObject, KeyObject];

describe('SessionKeys', () => {
  it('gives back the written key for the same session and SPKI, and the SPKI of a key it wrote', () => {
    const cache = new SessionKeys();
    for (const key of keys) {
      const spki = cache.spkiOf('T1', key, spkiHex);
      expect(spki).toBe(spkiHex(key));
      expect(cache.spkiOf('T1', key, spkiHex)).toBe(spki);
      expect(cache.keyOf('T1', spki, importKey)).toBe(key);
    }
  });

  it('never lets another key through: another SPKI in the same session is imported, and is that SPKI\'s key', () => {
    const cache = new SessionKeys();
    cache.spkiOf('T1', p256, spkiHex);
    const other = cache.keyOf('T1', spkiHex(brainpool), importKey);
    expect(other).not.toBe(p256);
    expect(spkiHex(other)).toBe(spkiHex(brainpool));
    expect(other.asymmetricKeyDetails?.namedCurve).toBe('brainpoolP256r1');
    // A different KeyObject written for the session is exported, not answered with the remembered SPKI.
    expect(cache.spkiOf('T1', p256, spkiHex)).toBe(spkiHex(p256));
  });

  it('keeps each session to itself: the same SPKI in another session is imported anew', () => {
    const cache = new SessionKeys();
    const spki = cache.spkiOf('T1', p256, spkiHex);
    const imported = cache.keyOf('T2', spki, importKey);
    expect(imported).not.toBe(p256);
    expect(imported.equals(p256)).toBe(true);
  });

  it('refuses bytes that are no SPKI, and remembers nothing for them', () => {
    const cache = new SessionKeys();
    expect(() => cache.keyOf('T1', '3000', importKey)).toThrow();
    expect(cache.size).toBe(0);
  });

  it('is bounded, the oldest session out first, and forgets a closed session', () => {
    const cache = new SessionKeys(2);
    const spki = cache.spkiOf('T1', p256, spkiHex);
    cache.spkiOf('T2', p256, spkiHex);
    cache.spkiOf('T3', brainpool, spkiHex);
    expect(cache.size).toBe(2);
    expect(cache.keyOf('T1', spki, importKey)).not.toBe(p256); // T1 was out; now back in, T2 out
    expect(cache.size).toBe(2);
    cache.forget('T3');
    expect(cache.size).toBe(1);
    const t1 = cache.keyOf('T1', spki, importKey);
    expect(cache.keyOf('T1', spki, importKey)).toBe(t1);
    cache.forget('T1');
    expect(cache.size).toBe(0);
  });
});
