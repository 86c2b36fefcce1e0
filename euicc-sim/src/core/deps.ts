// What the core needs from the outside world, injected (STYLE.md "Dependency injection").
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
