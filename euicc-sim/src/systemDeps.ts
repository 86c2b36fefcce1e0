// The outside world of a software eUICC running for real: the system clock, the operating system's random
// bytes, OpenSSL one-time ECKA key pairs (PrepareDownload) and the given store and logger.
import { randomBytes } from 'node:crypto';
import { generateEckaKeyPair, silentLogger, type Logger } from '@zkesim/protocol';
import type { Deps } from './core/deps.js';
import type { EuiccStore } from './core/state.js';

export function systemEuiccDeps(store: EuiccStore, logger: Logger = silentLogger): Deps {
  return { clock: { now: () => Date.now() }, random: { bytes: (length) => Uint8Array.from(randomBytes(length)) }, eckaKeys: generateEckaKeyPair, store, logger };
}
