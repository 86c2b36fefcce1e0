// SGP.22 v2.2.2 §4.1 activation codes: forms seen in the field and the errors for bad ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatActivationCode } from '@zkesim/protocol';
import { parseActivationCode } from './activationCode.js';
import { InvalidActivationCode } from './errors.js';

describe('activation code (SGP.22 §4.1)', () => {
  it('parses the QR form with the LPA: prefix', () => {
    expect(parseActivationCode('LPA:1$rsp.example.com$04386-AGYFT-A74Y8-3F815')).toEqual({
      smdpAddress: 'rsp.example.com',
      matchingId: '04386-AGYFT-A74Y8-3F815',
      confirmationCodeRequired: false,
    });
  });

  it('accepts the bare form, a port, an OID, an empty OID before the CC flag, and ignores later fields', () => {
    expect(parseActivationCode('1$localhost:8443$ABC$1.3.6.1.4.1.31746$1')).toMatchObject({ smdpAddress: 'localhost:8443', smdpOid: '1.3.6.1.4.1.31746', confirmationCodeRequired: true });
    expect(parseActivationCode('LPA:1$smdp.io$T$$1')).toEqual({ smdpAddress: 'smdp.io', matchingId: 'T', confirmationCodeRequired: true });
    expect(parseActivationCode('lpa:1$smdp.io$T$$0$future-field')).toMatchObject({ confirmationCodeRequired: false });
  });

  it.each([
    ['', 'activationCode'],
    ['LPA:2$smdp.io$T', 'AC_Format'],
    ['LPA:1$$T', 'smdpAddress'],
    ['LPA:1$smdp..io$T', 'smdpAddress'],
    ['LPA:1$smdp.io:99999$T', 'smdpAddress'],
    ['LPA:1$smdp.io', 'AC_Token'],
    ['LPA:1$smdp.io$A B', 'AC_Token'],
    ['LPA:1$smdp.io$T$not-an-oid', 'smdpOid'],
    ['LPA:1$smdp.io$T$$yes', 'confirmationCodeRequiredFlag'],
    [`LPA:1$smdp.io$${'X'.repeat(300)}`, 'activationCode'],
  ])('rejects %j naming %s', (text, field) => {
    const error = (() => {
      try {
        parseActivationCode(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidActivationCode);
    expect((error as InvalidActivationCode).field).toBe(field);
  });

  it('round-trips what it formats, and never throws anything but InvalidActivationCode', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[0-9A-Z-]{1,40}$/), fc.boolean(), (labels, token, cc) => {
        const code = { smdpAddress: labels.join('.'), matchingId: token, confirmationCodeRequired: cc };
        expect(parseActivationCode(formatActivationCode(code))).toEqual(code);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseActivationCode(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidActivationCode);
        }
      }),
      { numRuns: 500 },
    );
  });
});
