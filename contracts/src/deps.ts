// Injected dependencies of the chain layer: time, waiting and logging. Production wiring is `systemDeps()`;
// tests may pass their own.

/** Structured logger, pino-compatible (`logger.info({ field }, 'message')`). */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ChainDeps {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  logger: Logger;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Real time and the given logger (silent by default). */
export function systemDeps(logger: Logger = silentLogger): ChainDeps {
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((wake) => setTimeout(wake, ms)),
    logger,
  };
}
