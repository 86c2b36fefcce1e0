// The onboarding API's request parsing: the optional confirmation code (SGP.22 v2.2.2 §3.1.1, the operator's code
// for the end user) is accepted as 4 to 32 letters and digits, anything else refused naming the field, never
// echoing the value. The order it makes (digest kept, activation code flag, ES9+ refusal of a wrong code) is
// exercised on the running stack: test/e2e/onboarding.test.ts.
import { describe, expect, it } from 'vitest';
import { OnboardingRefused } from './onboardSubscriber.js';
import { parseOnboardingRequest } from './onboardingRoute.js';

const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const base = { kycReference: 'kyc-1', profileType: 'TS48V1-A-UNIQUE' };

describe('onboarding request', () => {
  it('takes an optional confirmation code', () => {
    expect(parseOnboardingRequest(body(base))).toEqual(base);
    expect(parseOnboardingRequest(body({ ...base, confirmationCode: '04711815' }))).toEqual({ ...base, confirmationCode: '04711815' });
    expect(parseOnboardingRequest(body({ ...base, confirmationCode: 'Ab12' })).confirmationCode).toBe('Ab12');
  });

  it.each([
    ['not a string', 4711],
    ['empty', ''],
    ['too short', '123'],
    ['too long', '1'.repeat(33)],
    ['a space', '1234 5678'],
    ['non-ASCII', '1234567٨'],
  ])('refuses a confirmation code that is %s, naming the field and not the value', (_, confirmationCode) => {
    let error: unknown;
    try {
      parseOnboardingRequest(body({ ...base, confirmationCode }));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(OnboardingRefused);
    expect(error).toMatchObject({ field: 'confirmationCode', status: 400 });
    expect((error as Error).message).toMatch(/^confirmationCode: must be 4 to 32 letters and digits$/);
  });
});
