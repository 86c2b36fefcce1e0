// What the core needs from the outside world, injected: no module-level singletons, so tests pass their own.
import type { EckaKeyGenerator } from '@zkesim/protocol';
import type { EuiccStore } from './state.js';

export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface Deps {
  /** Current time, for certificate validity checks. */
  readonly clock: () => Date;
  /** Cryptographically secure random bytes (challenges). */
  readonly random: (length: number) => Uint8Array;
  /** One-time ECKA key pairs for PrepareDownload (SGP.22 §3.1.3.x, otPK/otSK.EUICC.ECKA). */
  readonly eckaKeys: EckaKeyGenerator;
  readonly store: EuiccStore;
  readonly logger: Logger;
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
