// The ES10 functions of SGP.22 §5.7 by the tag of their request.
import type { Es10Handler } from './core/euicc.js';

export const es10Handlers: ReadonlyMap<number, Es10Handler> = new Map<number, Es10Handler>([]);
