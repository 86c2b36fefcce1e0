// The LPA connects only to a host name or IP literal with an optional port, whatever handed it the address
// (an activation code, the eUICC's default SM-DP+ or root SM-DS, an SM-DS event, a notification).
import { describe, expect, it } from 'vitest';
import { ServerUnreachable } from '../errors.js';
import { postJson } from './httpsTransport.js';

describe('postJson server addresses', () => {
  it('refuses an address with userinfo, a path or a line break before connecting', async () => {
    for (const address of ['user@smdp.example.com', 'smdp.example.com/gsma', 'smdp.example.com\r\nX-Injected: 1']) {
      const error = await Promise.resolve()
        .then(() => postJson(address, '/gsma/rsp2/es9plus/initiateAuthentication', '{}', { trustedCertificates: ['unused'] }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerUnreachable);
      expect((error as Error).message).toMatch(/not a valid host name|not host\[:port\]/);
    }
  });
});
