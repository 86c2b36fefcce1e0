// The production clock; tests pass their own Clock.
import type { Clock } from '../core/deps.js';

export const systemClock: Clock = { now: () => Date.now() };
