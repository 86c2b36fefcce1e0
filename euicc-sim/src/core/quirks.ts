// Per-eUICC behaviour switches that reproduce what real cards do in the field. All are off by default, so a
// fresh eUICC follows SGP.22; an LPA maker switches one on to test against it.
import { ISD_R_AID } from '@zkesim/protocol';

export interface Quirks {
  /** Answer SELECT only for this ISD-R AID (some removable "eSIM adapters" use non-standard ones). */
  readonly isdRAid: Uint8Array;
  /** EnableProfile only succeeds with refreshFlag = FALSE (some cards refuse to issue REFRESH). */
  readonly enableRequiresRefreshFlagFalse: boolean;
  /** eUICC memory in bytes; real cards report about 270-290 KB free. */
  readonly totalMemoryBytes: number;
  /**
   * Answer the LoadBoundProfilePackage piece with this 1-based index with the ProfileInstallationResult
   * already (success), as some cards do before the last 86 segment arrives. undefined = off.
   */
  readonly earlyInstallResultAtPiece: number | undefined;
  /** Delay in milliseconds added by the transports before every response. */
  readonly responseDelayMs: number;
  /** The Rules Authorisation Table grants no profile policy rule: a profile with PPR1/PPR2 is refused. */
  readonly ratGrantsNoPolicyRules: boolean;
}

/** Large enough for many test profiles; the small-memory quirk lowers it. */
export const DEFAULT_TOTAL_MEMORY_BYTES = 2 * 1024 * 1024;

/** Memory a card with the small-memory quirk has, in the 270-290 KB range seen on real cards. */
export const SMALL_MEMORY_BYTES = 280 * 1024;

export function defaultQuirks(): Quirks {
  return {
    isdRAid: ISD_R_AID,
    enableRequiresRefreshFlagFalse: false,
    totalMemoryBytes: DEFAULT_TOTAL_MEMORY_BYTES,
    earlyInstallResultAtPiece: undefined,
    responseDelayMs: 0,
    ratGrantsNoPolicyRules: false,
  };
}
