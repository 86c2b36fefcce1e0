import { describe, expect, it } from 'vitest';
import {
  adminProtocolVersion,
  assertAdminProtocol,
  assertJsonContentType,
  isJsonContentType,
  isSupportedAdminProtocol,
} from './http.js';
import { Codes, InvalidContentType, UnsupportedAdminProtocol } from '../errors/index.js';

describe('X-Admin-Protocol (SGP.22 §6.5.1.3) accepts every v2.x, as deployed LPAs send different ones', () => {
  it.each(['gsma/rsp/v2.2.0', 'gsma/rsp/v2.1.0', 'gsma/rsp/v2.2.2', 'gsma/rsp/v2.5', adminProtocolVersion])('accepts %s', (value) => {
    expect(isSupportedAdminProtocol(value)).toBe(true);
  });

  it.each([undefined, '', 'gsma/rsp/v3.0.0', 'gsma/rsp/v2', 'gsma/rsp/v2.x', 'GSMA/RSP/v2.2.0'])('rejects %j with 1.2.2 / 2.1', (value) => {
    expect(isSupportedAdminProtocol(value)).toBe(false);
    expect(() => assertAdminProtocol(value)).toThrow(UnsupportedAdminProtocol);
  });

  it('reports the code of an unsupported version', () => {
    expect(new UnsupportedAdminProtocol('x').is(Codes.unsupportedAdminProtocol)).toBe(true);
  });
});

describe('Content-Type', () => {
  it.each(['application/json;charset=UTF-8', 'application/json', 'Application/JSON; charset=utf-8'])('accepts %s', (value) => {
    expect(isJsonContentType(value)).toBe(true);
  });

  it.each([undefined, 'text/plain', 'application/x-gsma-rsp-asn1', 'application/jsonx'])('rejects %j', (value) => {
    expect(() => assertJsonContentType(value)).toThrow(InvalidContentType);
  });
});
