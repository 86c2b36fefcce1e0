// Builds the initial state of a new eUICC from its credentials (SGP.22 §2.2: one EID, an eUICC key pair and
// certificate per supported curve, the CI keys it trusts).
import { defaultQuirks, type Quirks } from './core/quirks.js';
import type { EuiccCredential, EuiccState } from './core/state.js';

/** SGP.22 §4.1 / GSMA Root SM-DS address used when nothing else is configured. */
export const DEFAULT_ROOT_DS_ADDRESS = 'lpa.ds.gsma.com';

export interface NewEuiccStateOptions {
  readonly eid: Uint8Array;
  readonly credentials: readonly EuiccCredential[];
  readonly trustedCiCertificates: readonly Uint8Array[];
  readonly rootDsAddress?: string;
  readonly defaultDpAddress?: string;
  readonly quirks?: Partial<Quirks>;
}

export class InvalidEidError extends Error {
  override readonly name = 'InvalidEidError';
}

export function newEuiccState(options: NewEuiccStateOptions): EuiccState {
  if (options.eid.length !== 16) throw new InvalidEidError(`EID must be 16 bytes, got ${options.eid.length}`);
  if (options.credentials.length === 0) throw new Error('an eUICC needs at least one credential (key pair and certificate)');
  const state: EuiccState = {
    eid: Uint8Array.from(options.eid),
    credentials: options.credentials,
    trustedCiCertificates: options.trustedCiCertificates,
    rootDsAddress: options.rootDsAddress ?? DEFAULT_ROOT_DS_ADDRESS,
    profiles: [],
    notifications: [],
    nextSeqNumber: 0,
    nextIsdpNumber: 0x10,
    crls: [],
    quirks: { ...defaultQuirks(), ...options.quirks },
  };
  return options.defaultDpAddress === undefined ? state : { ...state, defaultDpAddress: options.defaultDpAddress };
}
