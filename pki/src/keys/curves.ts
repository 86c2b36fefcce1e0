import type { CurveName } from '@zkesim/protocol';

/**
 * The short labels of the two RSP curves (SGP.22 v2.2.2 §2.6.5) used on the command line and in file
 * names, as SGP.26 does (NIST / BRP). The curves themselves are protocol's CurveName.
 */
export type CurveLabel = 'nist' | 'brp';

export const curveOfLabel: Readonly<Record<CurveLabel, CurveName>> = { nist: 'P-256', brp: 'brainpoolP256r1' };
export const labelOfCurve: Readonly<Record<CurveName, CurveLabel>> = { 'P-256': 'nist', brainpoolP256r1: 'brp' };
