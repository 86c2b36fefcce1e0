// The profile (and its download order) lifecycle of an SM-DP+, as an explicit transition table.
//
// Everything that changes a profile's state must go through `nextProfileState`; storage adapters only
// persist the result (compare-and-set on the old state), so a transition that is not in the table can
// never happen silently. The states are the ones SGP.22 v2.2.2 §5.3 (ES2+) and §3.1.1 use for a profile
// held by the SM-DP+: Available → Allocated/Linked (DownloadOrder) → Confirmed/Released (ConfirmOrder,
// ReleaseProfile) → Downloaded (BPP bound, ES9+.GetBoundProfilePackage) → Installed (Profile Installation
// Result, ES9+.HandleNotification), with Error and Unavailable as the terminal branches. After the
// installation the eUICC's notifications (§3.5, ES9+.HandleNotification §5.6.4) tell the SM-DP+ that the
// profile was enabled, disabled or deleted on the card: Installed → Enabled ⇄ Disabled → Deleted.

export const profileStates = [
  'available',
  'allocated',
  'linked',
  'confirmed',
  'released',
  'downloaded',
  'installed',
  'enabled',
  'disabled',
  'deleted',
  'error',
  'unavailable',
] as const;
export type ProfileState = (typeof profileStates)[number];

/** What can happen to a profile. Each event names the SGP.22 function (or condition) that causes it. */
export const profileEvents = [
  'downloadOrderWithoutEid', // ES2+.DownloadOrder without EID (§5.3.1)
  'downloadOrderWithEid', // ES2+.DownloadOrder with EID (§5.3.1)
  'confirmOrder', // ES2+.ConfirmOrder, releaseFlag false (§5.3.2)
  'confirmOrderAndRelease', // ES2+.ConfirmOrder, releaseFlag true (§5.3.2)
  'releaseProfile', // ES2+.ReleaseProfile (§5.3.4)
  'cancelOrderToAvailable', // ES2+.CancelOrder, finalProfileStatusIndicator Available (§5.3.3)
  'cancelOrderToUnavailable', // ES2+.CancelOrder, finalProfileStatusIndicator Unavailable (§5.3.3)
  'bindProfile', // ES9+.GetBoundProfilePackage built a BPP for this order (§5.6.2)
  'bindRetry', // ES9+.GetBoundProfilePackage in a retry by the same eUICC: the package reused or bound again (§3.1.3)
  'installSucceeded', // ES9+.HandleNotification with a successful ProfileInstallationResult (§5.6.4)
  'installFailed', // ES9+.HandleNotification with an errorResult (§5.6.4)
  'downloadAborted', // ES9+.CancelSession with a final reason, or order expiry/retries exhausted (§5.6.5)
  'downloadPostponed', // ES9+.CancelSession with reason postponed/timeout after binding (§5.6.5)
  'installSucceededReusable', // LAB ONLY: a successful ProfileInstallationResult for a reusable order (§5.6.4)
  'profileEnabled', // ES9+.HandleNotification with a verified enable notification (§3.5, §5.6.4)
  'profileDisabled', // ES9+.HandleNotification with a verified disable notification (§3.5, §5.6.4)
  'profileDeleted', // ES9+.HandleNotification with a verified delete notification (§3.5, §5.6.4)
] as const;
export type ProfileEvent = (typeof profileEvents)[number];

/**
 * Events that only a SM-DP+ in lab mode (configuration `lab`) applies; no SGP.22 function causes them. The
 * callers check the mode; the table only says where each leads.
 */
export const labOnlyProfileEvents = ['installSucceededReusable'] as const satisfies readonly ProfileEvent[];

type TransitionTable = { readonly [E in ProfileEvent]: Partial<Readonly<Record<ProfileState, ProfileState>>> };

/**
 * The whole lifecycle: for each event, the states it is allowed in and the state it leads to.
 * A (state, event) pair that is not listed is illegal.
 */
export const profileTransitions: TransitionTable = {
  downloadOrderWithoutEid: { available: 'allocated' },
  downloadOrderWithEid: { available: 'linked' },
  confirmOrder: { allocated: 'confirmed', linked: 'confirmed' },
  confirmOrderAndRelease: { allocated: 'released', linked: 'released' },
  releaseProfile: { confirmed: 'released' },
  // SGP.22 §5.3.3: CancelOrder applies to a profile that is ordered but not installed; the operator says
  // whether it goes back to the pool or is withdrawn. SPEC-AMBIGUITY: we also allow it from Downloaded and
  // Error (a bound BPP that was never installed), since the operator must be able to close such orders.
  cancelOrderToAvailable: {
    allocated: 'available',
    linked: 'available',
    confirmed: 'available',
    released: 'available',
    downloaded: 'available',
    error: 'available',
  },
  cancelOrderToUnavailable: {
    allocated: 'unavailable',
    linked: 'unavailable',
    confirmed: 'unavailable',
    released: 'unavailable',
    downloaded: 'unavailable',
    error: 'unavailable',
  },
  bindProfile: { released: 'downloaded' },
  bindRetry: { downloaded: 'downloaded' },
  installSucceeded: { downloaded: 'installed' },
  installFailed: { downloaded: 'error' },
  downloadAborted: { released: 'error', downloaded: 'error' },
  // SPEC-AMBIGUITY: SGP.22 §5.6.5 lets the end user postpone; we read that as "the order stays
  // downloadable", so a bound but not installed profile returns to Released for a new binding.
  downloadPostponed: { released: 'released', downloaded: 'released' },
  // LAB ONLY (not SGP.22): a reusable order of a conformance run stays open after its installation and its
  // profile is downloadable again, instead of Installed (handleNotification applies it only in lab mode).
  installSucceededReusable: { downloaded: 'released' },
  // After the installation the profile is disabled on the card (§3.1.3); the notifications say what the end
  // user did with it. SPEC-AMBIGUITY: they are applied in the order they arrive (the LPA sends them in
  // seqNumber order, §3.5). Disabled is reachable from Installed because the eUICC sends notifications only
  // for the operations the profile metadata asked for (§5.4.1), so an enable may never be reported. A
  // notification received twice (the LPA retries until it gets the 204) finds the profile already in the
  // state it leads to and is not in the table: it changes nothing and is not forwarded again.
  profileEnabled: { installed: 'enabled', disabled: 'enabled' },
  profileDisabled: { installed: 'disabled', enabled: 'disabled' },
  profileDeleted: { installed: 'deleted', enabled: 'deleted', disabled: 'deleted' },
};

/** Raised for a (state, event) pair that the table does not allow. */
export class IllegalTransition extends Error {
  override readonly name = 'IllegalTransition';
  constructor(
    readonly from: ProfileState,
    readonly event: ProfileEvent,
  ) {
    super(`profile state ${from} does not allow ${event}`);
  }
}

/** The state a profile in `from` moves to on `event`; throws IllegalTransition if the table forbids it. */
export function nextProfileState(from: ProfileState, event: ProfileEvent): ProfileState {
  const to = profileTransitions[event][from];
  if (to === undefined) throw new IllegalTransition(from, event);
  return to;
}

/** True if `event` is allowed in state `from`. */
export function canApply(from: ProfileState, event: ProfileEvent): boolean {
  return profileTransitions[event][from] !== undefined;
}

export function isProfileState(value: string): value is ProfileState {
  return (profileStates as readonly string[]).includes(value);
}
