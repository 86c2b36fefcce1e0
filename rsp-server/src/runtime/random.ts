// The production random source (OpenSSL's CSPRNG); tests pass a seeded one.
import { randomBytes } from 'node:crypto';
import type { RandomSource } from '@zkesim/protocol';

export const systemRandom: RandomSource = { bytes: (length) => new Uint8Array(randomBytes(length)) };
