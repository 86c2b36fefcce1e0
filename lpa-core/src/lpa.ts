// The LPA as a library object: one card session (logical channel to the ISD-R) plus the HTTPS settings,
// with every LPA function as a method. Callers that want finer control use the functions it wraps.
import type { DownloadStep, LpaContext, LpaInteraction } from './context.js';
import type { DeviceIdentity } from './deviceInfo.js';
import { Es10Channel, iccidToBytes, type ApduTransport } from '@zkesim/protocol';
import { getEuiccConfiguredAddresses, setDefaultDpAddress } from './es10-client/es10a.js';
import { RspServerClient } from './es9plus-client/es9plusClient.js';
import type { HttpsOptions } from './es9plus-client/httpsTransport.js';
import { downloadProfile, resumeDownload, type DownloadRequest, type DownloadResult } from './download/downloadProfile.js';
import type { BppStore } from './download/bppStore.js';
import { discoverEvents, type DiscoveredEvent } from './discovery.js';
import { euiccInfo } from './euiccInfo.js';
import { fromUserInput, InvalidInput, NoStoredDownload, ProfileInstallationFailed } from './errors.js';
import { profileIdentifierOf } from './identifiers.js';
import { listNotifications, processNotifications, removeNotifications, type NotificationFilter, type NotificationOutcome } from './notifications.js';
import { disable, enable, listProfiles, nickname, remove, type ProfileOperationOptions } from './profiles.js';
import { readSubscriberIdentity, readSubscriberIdentityWithSecret } from './subscriberIdentity.js';

export interface LpaOptions {
  readonly transport: ApduTransport;
  readonly https: HttpsOptions;
  readonly device?: DeviceIdentity;
  readonly bppStore?: BppStore;
  readonly interaction?: LpaInteraction;
  readonly progress?: (step: DownloadStep, detail?: string) => void;
}

export interface DownloadOptions extends Omit<DownloadRequest, 'smdpAddress'> {
  /**
   * The SM-DP+ to download from; when absent, the eUICC's default SM-DP+ address (SGP.22 §3.1.3 "Default
   * SM-DP+" case, usually without matchingId: the SM-DP+ finds the order by EID).
   */
  readonly smdpAddress?: string;
  /** Send the install notification right after the download (default true). */
  readonly sendNotifications?: boolean;
}

export class Lpa {
  private constructor(
    private readonly context: LpaContext,
    private readonly bppStore: BppStore | undefined,
  ) {}

  static async open(options: LpaOptions): Promise<Lpa> {
    const channel = await Es10Channel.open(options.transport);
    const context: LpaContext = {
      channel,
      server: (address) => new RspServerClient(address, options.https),
      ...(options.device === undefined ? {} : { device: options.device }),
      ...(options.interaction === undefined ? {} : { interaction: options.interaction }),
      ...(options.progress === undefined ? {} : { progress: options.progress }),
    };
    return new Lpa(context, options.bppStore);
  }

  close(): Promise<void> {
    return this.context.channel.close();
  }

  euiccInfo() {
    return euiccInfo(this.context);
  }

  listProfiles() {
    return listProfiles(this.context);
  }

  async downloadProfile(options: DownloadOptions): Promise<DownloadResult & { notifications: NotificationOutcome[] }> {
    const smdpAddress = options.smdpAddress ?? (await this.configuredAddresses()).defaultDpAddress;
    if (smdpAddress === undefined || smdpAddress === '') throw new InvalidInput('smdpAddress', 'no SM-DP+ address given and the eUICC has no default SM-DP+ address');
    const send = options.sendNotifications ?? true;
    const result = await downloadProfile(this.context, { ...options, smdpAddress }, this.bppStore).catch((error: unknown) => this.afterFailedInstallation(error, send));
    return { ...result, notifications: await this.afterDownload(result, send) };
  }

  /** Resumes an interrupted BPP load (the newest stored one, or the given transaction). */
  async resumeDownload(transactionId?: Uint8Array, sendNotifications = true): Promise<DownloadResult & { notifications: NotificationOutcome[] }> {
    const store = this.bppStore;
    const stored = transactionId === undefined ? store?.latest() : store?.load(transactionId);
    if (store === undefined || stored === undefined) throw new NoStoredDownload(transactionId === undefined ? 'any transaction' : Buffer.from(transactionId).toString('hex'));
    const result = await resumeDownload(this.context, store, stored).catch((error: unknown) => this.afterFailedInstallation(error, sendNotifications));
    return { ...result, notifications: await this.afterDownload(result, sendNotifications) };
  }

  private afterDownload(result: DownloadResult, send: boolean): Promise<NotificationOutcome[]> {
    return send ? processNotifications(this.context, { seqNumbers: [result.notificationSeqNumber] }) : Promise.resolve([]);
  }

  /**
   * SGP.22 §3.1.3.4: the LPA sends the ProfileInstallationResult with ES9+.HandleNotification whether the
   * installation succeeded or not, so the SM-DP+ learns of a failure too; only then is the failure reported.
   */
  private async afterFailedInstallation(error: unknown, send: boolean): Promise<never> {
    if (!(error instanceof ProfileInstallationFailed) || !send || error.notificationSeqNumber === undefined) throw error;
    throw error.delivered(await processNotifications(this.context, { seqNumbers: [error.notificationSeqNumber] }));
  }

  enableProfile(profile: string, options?: ProfileOperationOptions) {
    return enable(this.context, profileIdentifierOf(profile), options);
  }

  disableProfile(profile: string, options?: ProfileOperationOptions) {
    return disable(this.context, profileIdentifierOf(profile), options);
  }

  deleteProfile(profile: string, options?: ProfileOperationOptions) {
    return remove(this.context, profileIdentifierOf(profile), options);
  }

  setNickname(iccid: string, name: string) {
    return nickname(this.context, fromUserInput(() => iccidToBytes(iccid)), name);
  }

  listNotifications() {
    return listNotifications(this.context);
  }

  processNotifications(filter?: NotificationFilter) {
    return processNotifications(this.context, filter);
  }

  removeNotifications(seqNumbers: readonly bigint[]) {
    return removeNotifications(this.context, seqNumbers);
  }

  configuredAddresses() {
    return getEuiccConfiguredAddresses(this.context.channel);
  }

  setDefaultSmdpAddress(address: string) {
    return setDefaultDpAddress(this.context.channel, address);
  }

  /** The subscriber identity (ZK identity layer) of the enabled profile, public part only (vendor ES10 extension 'FA'). */
  readSubscriberIdentity() {
    return readSubscriberIdentity(this.context);
  }

  /** The same with the identity secret, for a proof. SECRET: never log or store what this returns. */
  readSubscriberIdentityWithSecret() {
    return readSubscriberIdentityWithSecret(this.context);
  }

  /**
   * SM-DS event retrieval (§3.6.2): the SM-DS address defaults to the eUICC's root SM-DS (ES10a
   * GetEuiccConfiguredAddresses); events pointing at Alternative SM-DSs are followed up to `maxDepth` hops.
   */
  async discover(smdsAddress?: string, maxDepth?: number) {
    const address = smdsAddress ?? (await this.configuredAddresses()).rootDsAddress;
    if (address === undefined || address === '') throw new InvalidInput('smdsAddress', 'no SM-DS address given and the eUICC has no root SM-DS address');
    return { smdsAddress: address, ...(await discoverEvents(this.context, address, maxDepth)) };
  }

  /**
   * Downloads every pending profile an SM-DS names (§3.6.2 then §3.1.3, SM-DS use case): for each event,
   * a download from its SM-DP+ with the EventID as matchingId, no activation code. A failed download does not
   * stop the others; each outcome is reported.
   */
  async downloadDiscovered(options: { smdsAddress?: string; maxDepth?: number; confirmationCode?: string; sendNotifications?: boolean } = {}) {
    const discovery = await this.discover(options.smdsAddress, options.maxDepth);
    const downloads: DiscoveredDownload[] = [];
    for (const event of discovery.eventEntries) {
      try {
        const result = await this.downloadProfile({
          smdpAddress: event.rspServerAddress,
          matchingId: event.eventId,
          ...(options.confirmationCode === undefined ? {} : { confirmationCode: options.confirmationCode }),
          ...(options.sendNotifications === undefined ? {} : { sendNotifications: options.sendNotifications }),
        });
        downloads.push({ event, result });
      } catch (error) {
        downloads.push({ event, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    return { ...discovery, downloads };
  }
}

/** The outcome of one download found by discovery. */
export type DiscoveredDownload =
  | { readonly event: DiscoveredEvent; readonly result: DownloadResult & { notifications: NotificationOutcome[] } }
  | { readonly event: DiscoveredEvent; readonly error: Error };
