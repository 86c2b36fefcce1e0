// The dependencies the SM-DP+ core is given: time, randomness, storage and logging. Production wiring
// (src/main.ts) passes the real ones; tests pass a fixed clock and seeded randomness.
import type { Clock, Logger, RandomSource } from '@zkesim/protocol';
import type { PeerAnswer } from '@zkesim/rsp-server';
import type { SmdpRepository } from './repository.js';

/** Sends one ES12 request (JSON body) to an SM-DS URL and answers within a bound; never throws. */
export type SmdsRequester = (url: string, body: string) => Promise<PeerAnswer>;

/** Everything an ES2+ handler needs. */
export interface CoreDeps {
  clock: Clock;
  random: RandomSource;
  repository: SmdpRepository;
  logger: Logger;
  /**
   * The ES12 client ConfirmOrder registers events with (rsp-server's postToPeer with this SM-DP+'s TLS
   * identity and `outbox.requestTimeoutMs`). Without it (offline commands) no SM-DS can be reached.
   */
  smds?: SmdsRequester;
}

/** Settings of the order handling (from the validated config). */
export interface OrderPolicy {
  /** This SM-DP+'s address (FQDN[:port]) returned in ConfirmOrder and compared in InitiateAuthentication. */
  smdpAddress: string;
  /** How long a download order stays valid after DownloadOrder (ms); 0 = no expiry. */
  orderLifetimeMs: number;
  /** Wrong confirmation codes allowed before the order is refused for good (SGP.22 §5.6.2, 8.2.7/6.4). */
  confirmationCodeMaxAttempts: number;
  /** Download attempts (AuthenticateClient calls) allowed per order (8.8.5/6.4). */
  downloadMaxAttempts: number;
  /**
   * A cancel with a final reason right after this SM-DP+ refused a confirmation code in the session:
   * keepOrder leaves the order downloadable while code attempts remain; closeOrder ends it (§5.6.5).
   */
  cancelAfterRefusedConfirmationCode: 'keepOrder' | 'closeOrder';
  /**
   * Lab mode (configuration `lab`, off by default): allows the test-lab fixtures a production SM-DP+ must
   * never serve, such as reusable orders (downloadable again after each installation).
   */
  lab?: boolean;
}
