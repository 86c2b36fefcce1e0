// The SM-DS address of an order mapped to the SM-DS's ES12 endpoint, for ES12 requests only.
import { describe, expect, it } from 'vitest';
import { es12Functions } from '@zkesim/protocol';
import { es12Endpoint } from './es12Endpoints.js';

describe('es12Endpoint', () => {
  const route = es12Endpoint([{ address: 'SMDS.example:8447', es12Address: 'smds.example:8452' }]);

  it('sends ES12 for a configured SM-DS address to its ES12 address', () => {
    expect(route(`https://smds.example:8447${es12Functions.registerEvent.path}`)).toBe(`https://smds.example:8452${es12Functions.registerEvent.path}`);
    expect(route(`https://smds.example:8447${es12Functions.deleteEvent.path}`)).toBe(`https://smds.example:8452${es12Functions.deleteEvent.path}`);
  });

  it('leaves other SM-DS addresses and other requests (operator callbacks) as they are', () => {
    expect(route(`https://other.example${es12Functions.registerEvent.path}`)).toBe(`https://other.example${es12Functions.registerEvent.path}`);
    expect(route('https://smds.example:8447/gsma/rsp2/es2plus/handleDownloadProgressInfo')).toBe('https://smds.example:8447/gsma/rsp2/es2plus/handleDownloadProgressInfo');
  });
});
