// What an RSP server's core is given instead of reaching for the world: time, randomness and a logger.
// Production passes the real ones (clock.ts, random.ts, logger.ts); tests pass a fixed clock and seeded
// randomness.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export interface RandomSource {
  bytes(length: number): Uint8Array;
}

/** The subset of pino's logger the cores use (structured object first, then the message). */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
