// The counter's KYC form checks: each bad field named with a message, good input normalised.
import { describe, expect, it } from 'vitest';
import { formValues, validateKyc } from './kycForm.js';

const today = new Date('2026-06-01T00:00:00Z');
const types = ['TS48V1-A-UNIQUE'];
const good = { name: 'Ada Lovelace', documentType: 'passport', documentNumber: 'gb 1815 1210', dateOfBirth: '1985-12-10', address: '1 Road\r\nLondon', wallet: '', profileType: 'TS48V1-A-UNIQUE' };

describe('validateKyc', () => {
  it('accepts good input, normalising the document number, line breaks and the wallet', () => {
    expect(validateKyc(formValues({ ...good, wallet: '0x52908400098527886e0f7030069857d2e4169ee7' }), types, today)).toEqual({
      ok: true,
      value: { name: 'Ada Lovelace', document: 'passport:GB18151210', dateOfBirth: '1985-12-10', address: '1 Road\nLondon', wallet: '0x52908400098527886E0F7030069857D2E4169EE7', profileType: 'TS48V1-A-UNIQUE' },
    });
  });

  it.each([
    ['name', { name: '' }, 'Enter the full name'],
    ['name', { name: 'Ada\u0007' }, 'Enter the full name'],
    ['documentType', { documentType: 'library-card' }, 'Choose the type of identity document'],
    ['documentNumber', { documentNumber: 'A/1' }, 'Document number must be 4 to 20'],
    ['dateOfBirth', { dateOfBirth: '' }, 'Enter the date of birth'],
    ['dateOfBirth', { dateOfBirth: '1990-02-30' }, 'must be a real date'],
    ['dateOfBirth', { dateOfBirth: '10/12/1985' }, 'must be a real date'],
    ['dateOfBirth', { dateOfBirth: '2026-06-02' }, 'must be in the past'],
    ['dateOfBirth', { dateOfBirth: '1800-01-01' }, 'within the last 130 years'],
    ['address', { address: 'x' }, 'Enter the postal address'],
    ['wallet', { wallet: '0x52908400098527886E0F7030069857d2e4169ee7' }, 'bad EIP-55 checksum'],
    ['wallet', { wallet: 'vitalik.eth' }, 'not a 0x-prefixed 20-byte hex address'],
    ['profileType', { profileType: 'OTHER' }, 'Choose a profile type'],
  ])('refuses %s %j', (field, change, message) => {
    const result = validateKyc(formValues({ ...good, ...change }), types, today);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...result.errors.keys()]).toEqual([field]);
    expect(result.errors.get(field)).toContain(message);
  });
});
