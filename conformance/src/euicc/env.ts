// What every eUICC case gets: the ES10 channel to the card (one card session for the run), a recorder of
// each STORE DATA exchange, and the SM-DP+ credentials the runner signs with when it plays the server
// side of a mutual authentication (default: the SGP.26 test DPauth and DPpb, which an SGP.26 test card trusts).
import type { KeyObject } from 'node:crypto';
import type { RspCertificate } from '@zkesim/pki';
import type { Es10Channel } from '@zkesim/protocol';
import type { CaseContext, ConformanceCase } from '../runner/model.js';

export interface ServerCredentials {
  readonly ci: RspCertificate;
  readonly dpAuth: { readonly certificate: RspCertificate; readonly key: KeyObject };
  readonly dpPb: { readonly certificate: RspCertificate; readonly key: KeyObject };
  /** The SM-DP+ address put in serverSigned1. */
  readonly serverAddress: string;
}

export interface EuiccEnv {
  readonly t: CaseContext;
  readonly server: ServerCredentials;
  /** Whether cases that change the card beyond a session (memory reset, profile loading) may run. */
  readonly destructive: boolean;
  /** Sends one ES10 command (the whole BER-TLV, cut into STORE DATA by the channel) and records it. */
  send(title: string, command: Uint8Array): Promise<Uint8Array>;
  readonly channel: Es10Channel;
}

export type EuiccCase = ConformanceCase<EuiccEnv>;
