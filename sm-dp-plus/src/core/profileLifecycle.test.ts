import { describe, expect, it } from 'vitest';
import {
  IllegalTransition,
  canApply,
  labOnlyProfileEvents,
  nextProfileState,
  profileEvents,
  profileStates,
  profileTransitions,
} from './profileLifecycle.js';

describe('SGP.22 §5.3 profile lifecycle table', () => {
  it('walks the nominal download: available → linked → released → downloaded → installed', () => {
    let state = nextProfileState('available', 'downloadOrderWithEid');
    expect(state).toBe('linked');
    state = nextProfileState(state, 'confirmOrderAndRelease');
    expect(state).toBe('released');
    state = nextProfileState(state, 'bindProfile');
    expect(state).toBe('downloaded');
    expect(nextProfileState(state, 'installSucceeded')).toBe('installed');
  });

  it('needs ReleaseProfile after a ConfirmOrder without releaseFlag', () => {
    const confirmed = nextProfileState(nextProfileState('available', 'downloadOrderWithoutEid'), 'confirmOrder');
    expect(confirmed).toBe('confirmed');
    expect(() => nextProfileState(confirmed, 'bindProfile')).toThrow(IllegalTransition);
    expect(nextProfileState(confirmed, 'releaseProfile')).toBe('released');
  });

  it('rejects every pair that is not in the table with IllegalTransition naming both', () => {
    for (const state of profileStates) {
      for (const event of profileEvents) {
        const allowed = profileTransitions[event][state] !== undefined;
        expect(canApply(state, event)).toBe(allowed);
        if (!allowed) {
          expect(() => nextProfileState(state, event)).toThrow(`profile state ${state} does not allow ${event}`);
        }
      }
    }
  });

  it('leaves installed only through the eUICC\'s notifications, and treats deleted and unavailable as terminal', () => {
    const afterInstall = ['profileEnabled', 'profileDisabled', 'profileDeleted'];
    for (const event of profileEvents) {
      expect(canApply('installed', event)).toBe(afterInstall.includes(event));
      expect(canApply('deleted', event)).toBe(false);
      expect(canApply('unavailable', event)).toBe(false);
    }
  });

  it('follows the card after the installation: installed → enabled ⇄ disabled → deleted', () => {
    let state = nextProfileState('installed', 'profileEnabled');
    expect(state).toBe('enabled');
    state = nextProfileState(state, 'profileDisabled');
    expect(state).toBe('disabled');
    expect(nextProfileState(state, 'profileEnabled')).toBe('enabled');
    expect(nextProfileState(state, 'profileDeleted')).toBe('deleted');
    // The same notification twice is not a second change.
    expect(canApply('enabled', 'profileEnabled')).toBe(false);
  });

  it('only lists known states as targets', () => {
    for (const event of profileEvents) {
      for (const to of Object.values(profileTransitions[event])) expect(profileStates).toContain(to);
    }
  });

  it('lab mode only: a reusable order returns to Released after a successful installation, to be downloaded again', () => {
    expect(labOnlyProfileEvents).toEqual(['installSucceededReusable']);
    let state = nextProfileState('downloaded', 'installSucceededReusable');
    expect(state).toBe('released');
    state = nextProfileState(state, 'bindProfile');
    expect(nextProfileState(state, 'installSucceededReusable')).toBe('released');
    expect(canApply('released', 'installSucceededReusable')).toBe(false);
  });
});
