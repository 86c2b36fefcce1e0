import type { FieldSpecs } from '../fields.js';

/** The interfaces with a JSON binding. */
export type RspInterface = 'es9plus' | 'es11' | 'es2plus' | 'es12' | 'es15';

/** Declarative description of one SGP.22 function over HTTP/JSON (SGP.22 v2.2.2 §6.5). */
export interface RspFunction<
  Req extends FieldSpecs = FieldSpecs,
  Res extends FieldSpecs = FieldSpecs,
  Header extends boolean = boolean,
> {
  /** The spec's function name, e.g. `initiateAuthentication`. */
  readonly name: string;
  readonly interface: RspInterface;
  /** The path the client POSTs to. */
  readonly path: string;
  /** Further paths a server also serves for this function (ES11 on `/gsma/rsp2/es11/...`). */
  readonly alternativePaths: readonly string[];
  /** Where the spec defines it. */
  readonly section: string;
  /** ES2+ and ES12 requests carry `header` (functionRequesterIdentifier, functionCallIdentifier). */
  readonly requestHeader: Header;
  readonly request: Req;
  readonly response: Res;
  /** `none`: success is HTTP 204 with an empty body (ES9+.HandleNotification, §6.5.2.4). */
  readonly responseBody: 'json' | 'none';
}

/** Builds a description with the defaults (JSON response body, no alternative paths). */
export function rspFunction<Req extends FieldSpecs, Res extends FieldSpecs, Header extends boolean>(
  description: Omit<RspFunction<Req, Res, Header>, 'alternativePaths' | 'responseBody'> &
    Partial<Pick<RspFunction<Req, Res, Header>, 'alternativePaths' | 'responseBody'>>,
): RspFunction<Req, Res, Header> {
  return { alternativePaths: [], responseBody: 'json', ...description };
}
