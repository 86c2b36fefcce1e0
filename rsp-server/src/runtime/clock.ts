// The production clock; tests pass their own Clock.
import type { Clock } from '@zkesim/protocol';

export const systemClock: Clock = { now: () => Date.now() };
