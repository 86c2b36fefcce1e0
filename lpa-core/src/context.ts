// What every LPA operation runs against: the card channel, a way to reach RSP servers, the device
// identity, and callbacks for progress and user interaction, all injected by the caller.
import type { Es10Channel, StoreMetadataRequest } from '@zkesim/protocol';
import type { DeviceIdentity } from './deviceInfo.js';
import type { RspServerClient } from './es9plus-client/es9plusClient.js';

/** The named steps of a download (SGP.22 v2.2.2 §3.1.3), reported once each as they start. */
export type DownloadStep =
  | 'getEuiccChallenge' | 'getEuiccInfo1' | 'initiateAuthentication' | 'authenticateServer' | 'authenticateClient'
  | 'userConsent' | 'prepareDownload' | 'getBoundProfilePackage' | 'loadBoundProfilePackage' | 'handleNotification'
  | 'cancelSession' | 'done';

export interface LpaInteraction {
  /** Shows the profile metadata and returns the user's consent (§3.1.3.2 "Download confirmation"). */
  confirmDownload?(metadata: StoreMetadataRequest): Promise<boolean>;
  /** Asks for the confirmation code when the SM-DP+ requires one; undefined = not available. */
  askConfirmationCode?(): Promise<string | undefined>;
}

export interface LpaContext {
  readonly channel: Es10Channel;
  /** A client for an RSP server (SM-DP+ or SM-DS) address. */
  readonly server: (address: string) => RspServerClient;
  readonly device?: DeviceIdentity;
  readonly interaction?: LpaInteraction;
  readonly progress?: (step: DownloadStep, detail?: string) => void;
}
