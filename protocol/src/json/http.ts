// HTTP-level constants and checks of the JSON binding (SGP.22 v2.2.2 §6.5.1).
import { InvalidContentType, UnsupportedAdminProtocol } from '../errors/index.js';

/** The X-Admin-Protocol header (§6.5.1.3) and the version this stack sends. */
export const adminProtocolHeader = 'X-Admin-Protocol';
export const adminProtocolVersion = 'gsma/rsp/v2.2.0';

/** Content-Type of requests and responses (§6.5.1.3); bare `application/json` is accepted too. */
export const jsonContentType = 'application/json;charset=UTF-8';

/** User-Agent of LPA requests (§6.1). */
export const lpaUserAgent = 'gsma-rsp-lpad';

const supportedAdminProtocol = /^gsma\/rsp\/v2\.\d+(\.\d+)?$/;

/**
 * True for any `gsma/rsp/v2.*` value: deployed LPAs send v2.1.0, v2.2.0 and v2.2.2, and a server
 * should not reject another 2.x version.
 */
export function isSupportedAdminProtocol(value: string | undefined): boolean {
  return value !== undefined && supportedAdminProtocol.test(value.trim());
}

/** Throws UnsupportedAdminProtocol (1.2.2 / 2.1) unless the value is `gsma/rsp/v2.*`. */
export function assertAdminProtocol(value: string | undefined): void {
  if (!isSupportedAdminProtocol(value)) throw new UnsupportedAdminProtocol(value);
}

/** True for `application/json` with any parameters (e.g. `;charset=UTF-8`), case-insensitive. */
export function isJsonContentType(value: string | undefined): boolean {
  // The two spellings LPAs send are answered without splitting and lower-casing the value.
  if (value === jsonContentType || value === 'application/json') return true;
  return value !== undefined && value.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Throws InvalidContentType (1.2.1 / 2.1) unless the value is JSON. */
export function assertJsonContentType(value: string | undefined): void {
  if (!isJsonContentType(value)) throw new InvalidContentType(value);
}
