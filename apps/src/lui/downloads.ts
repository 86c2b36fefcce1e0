// Adding a profile from the LUI as a job whose progress the page follows live (Server-Sent Events): by activation
// code (typed, or decoded from a QR image in the page) or by discovery through the SM-DS (SGP.22 §3.6.2). The
// download is lpa-core's (§3.1.3); the job reports each step as it starts, asks the page for the confirmation
// code only when the SM-DP+ requires one (ccRequiredFlag in smdpSigned2, lpa-core's askConfirmationCode), and
// ends with the installed profiles and the notifications sent, or with the failure in plain words.
import { randomUUID } from 'node:crypto';
import { iccidToDigits } from '@zkesim/protocol';
import { parseActivationCode, type DownloadStep, type Lpa } from '@zkesim/lpa-core';
import type { CardAccess } from './luiLpa.js';
import { errorView, notificationView, type ErrorView, type NotificationView } from './views.js';

/** What the page shows for each step of §3.1.3 (and discovery). */
export const STEP_WORDS: Record<DownloadStep | 'discovery', string> = {
  discovery: 'Asking the discovery service for eSIMs waiting for this device',
  getEuiccChallenge: 'Preparing the eSIM chip',
  getEuiccInfo1: 'Reading the eSIM chip',
  initiateAuthentication: 'Contacting the operator\'s server',
  authenticateServer: 'Checking the operator\'s server',
  authenticateClient: 'The operator\'s server checks this device',
  userConsent: 'Profile found',
  prepareDownload: 'Preparing the download',
  getBoundProfilePackage: 'Downloading the profile',
  loadBoundProfilePackage: 'Installing the profile on the eSIM chip',
  handleNotification: 'Telling the operator',
  cancelSession: 'Cancelling the download',
  done: 'Done',
};

/** How long the page has to give the confirmation code before the download is cancelled (reason postponed). */
export const CONFIRMATION_CODE_WAIT_MS = 5 * 60_000;
const KEPT_JOBS = 20;

export interface InstalledView {
  readonly iccid: string;
  readonly profileName: string;
  readonly serviceProviderName: string;
}

export type DownloadEvent =
  | { readonly type: 'step'; readonly step: string; readonly words: string; readonly detail?: string }
  | { readonly type: 'confirmationCode' }
  | { readonly type: 'done'; readonly installed: InstalledView[]; readonly failures: ErrorView[]; readonly notifications: NotificationView[]; readonly message: string }
  | { readonly type: 'failed'; readonly error: ErrorView };

export type DownloadRequest = { readonly kind: 'activationCode'; readonly activationCode: string } | { readonly kind: 'discovery' };

interface Job {
  readonly id: string;
  readonly events: DownloadEvent[];
  readonly listeners: Set<(event: DownloadEvent) => void>;
  giveCode?: (code: string | undefined) => void;
  finished: boolean;
}

export class DownloadJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly card: CardAccess) {}

  start(request: DownloadRequest): string {
    const job: Job = { id: randomUUID(), events: [], listeners: new Set(), finished: false };
    this.jobs.set(job.id, job);
    for (const id of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEPT_JOBS))) this.jobs.delete(id);
    const emit = (event: DownloadEvent) => {
      job.events.push(event);
      for (const listener of job.listeners) listener(event);
    };
    const askConfirmationCode = () =>
      new Promise<string | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), CONFIRMATION_CODE_WAIT_MS);
        job.giveCode = (code) => {
          clearTimeout(timer);
          job.giveCode = undefined;
          resolve(code);
        };
        emit({ type: 'confirmationCode' });
      });
    const progress = (step: DownloadStep, detail?: string) => emit({ type: 'step', step, words: STEP_WORDS[step], ...(detail === undefined ? {} : { detail }) });
    this.card
      .run((lpa) => run(lpa, request, emit), { progress, interaction: { askConfirmationCode } })
      .then((done) => emit(done), (error: unknown) => emit({ type: 'failed', error: errorView(error) }))
      .finally(() => {
        job.finished = true;
        job.giveCode?.(undefined);
      });
    return job.id;
  }

  /** Replays the events so far, then follows; returns the unsubscribe function. */
  follow(id: string, listener: (event: DownloadEvent) => void): (() => void) | undefined {
    const job = this.jobs.get(id);
    if (job === undefined) return undefined;
    for (const event of job.events) listener(event);
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** The confirmation code the page was asked for; false when the job is not waiting for one. */
  confirmationCode(id: string, code: string | undefined): boolean {
    const job = this.jobs.get(id);
    if (job?.giveCode === undefined) return false;
    job.giveCode(code === '' ? undefined : code);
    return true;
  }
}

type Done = Extract<DownloadEvent, { type: 'done' }>;

async function run(lpa: Lpa, request: DownloadRequest, emit: (event: DownloadEvent) => void): Promise<Done> {
  if (request.kind === 'activationCode') {
    const code = parseActivationCode(request.activationCode.trim());
    const result = await lpa.downloadProfile({
      smdpAddress: code.smdpAddress, matchingId: code.matchingId, ...(code.smdpOid === undefined ? {} : { smdpOid: code.smdpOid }), sendNotifications: true,
    });
    const installed = { iccid: iccidToDigits(result.iccid), profileName: result.profileName, serviceProviderName: result.serviceProviderName };
    return { type: 'done', installed: [installed], failures: [], notifications: result.notifications.map(notificationView), message: `${installed.profileName || 'The profile'} is installed.` };
  }
  emit({ type: 'step', step: 'discovery', words: STEP_WORDS.discovery });
  const outcome = await lpa.downloadDiscovered({ sendNotifications: true });
  const installed: InstalledView[] = [];
  const failures: ErrorView[] = [];
  const notifications: NotificationView[] = [];
  for (const download of outcome.downloads) {
    if ('error' in download) {
      failures.push(errorView(download.error));
      continue;
    }
    installed.push({ iccid: iccidToDigits(download.result.iccid), profileName: download.result.profileName, serviceProviderName: download.result.serviceProviderName });
    notifications.push(...download.result.notifications.map(notificationView));
  }
  const message = outcome.downloads.length === 0 ? 'No eSIM is waiting for this device.' : `${installed.length} of ${outcome.downloads.length} eSIMs installed.`;
  return { type: 'done', installed, failures, notifications, message };
}
