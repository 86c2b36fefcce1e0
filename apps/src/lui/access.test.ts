import { describe, expect, it } from 'vitest';
import { TOKEN_COOKIE, decideAccess, newLaunchToken, tokenMatches } from './access.js';

const token = newLaunchToken();
const port = 4321;
const request = (over: Partial<Parameters<typeof decideAccess>[0]>) => ({
  method: 'GET', url: '/', host: `127.0.0.1:${port}`, origin: undefined, cookie: `${TOKEN_COOKIE}=${token}`, ...over,
});

describe('LUI access by launch token', () => {
  it('makes 32 random bytes, base64url, new at each launch', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newLaunchToken()).not.toBe(token);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, `${token}x`)).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
  });

  it('turns the token in the first URL into an HttpOnly SameSite=Strict cookie and drops it from the URL', () => {
    expect(decideAccess(request({ url: `/add?x=1&token=${token}`, cookie: undefined }), token, port)).toEqual({
      kind: 'setCookie', location: '/add?x=1', cookie: `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    expect(decideAccess(request({ url: '/?token=wrong', cookie: undefined }), token, port)).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('refuses a request without the token, with another token, for another Host, or a POST from another origin', () => {
    expect(decideAccess(request({}), token, port)).toEqual({ kind: 'allowed' });
    expect(decideAccess(request({ cookie: undefined }), token, port)).toMatchObject({ kind: 'refused', status: 403 });
    expect(decideAccess(request({ cookie: `${TOKEN_COOKIE}=${newLaunchToken()}` }), token, port)).toMatchObject({ kind: 'refused', status: 403 });
    expect(decideAccess(request({ host: `evil.example:${port}` }), token, port)).toMatchObject({ kind: 'refused', status: 421 });
    expect(decideAccess(request({ host: undefined }), token, port)).toMatchObject({ kind: 'refused', status: 421 });
    expect(decideAccess(request({ method: 'POST', origin: 'http://evil.example' }), token, port)).toMatchObject({ kind: 'refused', status: 403 });
    expect(decideAccess(request({ method: 'POST' }), token, port)).toMatchObject({ kind: 'refused', status: 403 });
    expect(decideAccess(request({ method: 'POST', origin: `http://localhost:${port}`, host: `localhost:${port}` }), token, port)).toEqual({ kind: 'allowed' });
  });
});
