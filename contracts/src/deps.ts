// Injected dependencies of the chain layer: time, waiting and logging. Production wiring is `systemDeps()`;
// tests may pass their own. The Logger is protocol's (only its ports module: no RSP code comes along).
import { silentLogger, type Logger } from '@zkesim/protocol/ports';

export interface ChainDeps {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  logger: Logger;
}

/** Real time and the given logger (silent by default). */
export function systemDeps(logger: Logger = silentLogger): ChainDeps {
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((wake) => setTimeout(wake, ms)),
    logger,
  };
}
