import { describe, expect, it } from 'vitest';
import { Codes } from './codes.js';
import { plainWords } from './plainWords.js';

describe('status codes in plain words', () => {
  it('words the codes an end user meets in a download without codes or jargon', () => {
    expect(plainWords(Codes.matchingIdRefused)).toMatch(/does not know this activation code/);
    expect(plainWords(Codes.confirmationCodeRefused)).toBe('The confirmation code is wrong. Check it and try again.');
    expect(plainWords(Codes.downloadOrderExpired)).toMatch(/expired/);
    for (const code of [Codes.matchingIdRefused, Codes.confirmationCodeRetriesExceeded, Codes.euiccInsufficientMemory]) {
      expect(plainWords(code)).not.toMatch(/\d\.\d|MatchingID|SM-DP\+|eUICC/);
    }
  });

  it('describes a pair without wording from the subject and reason of the code table, and an unknown pair generically', () => {
    expect(plainWords(Codes.eventUnknown)).toBe('Event record: unknown.');
    expect(plainWords({ subjectCode: '9.9', reasonCode: '9.9' })).toBe('The operation failed.');
  });
});
