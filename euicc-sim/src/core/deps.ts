// What the core needs from the outside world, injected: no module-level singletons, so tests pass their own.
import type { Clock, EckaKeyGenerator, Logger, RandomSource } from '@zkesim/protocol';
import type { EuiccStore } from './state.js';

export interface Deps {
  /** Current time, for certificate validity checks. */
  readonly clock: Clock;
  /** Cryptographically secure random bytes (challenges). */
  readonly random: RandomSource;
  /** One-time ECKA key pairs for PrepareDownload (SGP.22 §3.1.3.x, otPK/otSK.EUICC.ECKA). */
  readonly eckaKeys: EckaKeyGenerator;
  readonly store: EuiccStore;
  readonly logger: Logger;
}
