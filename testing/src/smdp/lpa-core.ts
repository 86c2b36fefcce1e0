// The LPA library as the SM-DP+'s tests and benchmark meet it: a real download against the harness goes
// through lpa-core's `Lpa`, the same code a device maker embeds. Tests reach this peer here, not by importing
// lpa-core themselves (ARCHITECTURE.md, dependency rules); the step-by-step driver for negative tests is lpa.ts.
export { Lpa, type LpaOptions } from '@zkesim/lpa-core';
