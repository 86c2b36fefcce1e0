// What the cores of every role are given from outside: time, randomness
// and a structured logger. The production implementations live in each role's adapters; nothing here
// reads the clock, the RNG or a stream.

/** The current time. Tests pass a fixed or movable one. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Cryptographically secure random bytes (challenges, keys). Tests pass a seeded or broken one. */
export interface RandomSource {
  bytes(length: number): Uint8Array;
}

/** The subset of pino's logger the cores use: structured fields first, then the message. */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A logger that drops everything, for tests and tools that do not look at logs. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
