// `zkesim demo`: what an operator and a device do with the running stack, one printed step at a time:
// ES2+ order naming the stack's SM-DS, discovery at the eUICC's root SM-DS and the download it names (no
// activation code; real HTTPS, real APDUs to the stack's eUICC), enable, then the pending notifications
// delivered to the SM-DP+ and removed from the eUICC, after which the SM-DP+ deletes the event.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iccidToDigits } from '@zkesim/protocol';
import { Lpa } from '@zkesim/lpa-core';
import { openTcpTransport } from '@zkesim/lpa-core';
import { placeOrder, type Es2ClientOptions } from './es2Client.js';

export const STACK_FILE = 'stack.json';

/** What `zkesim start` publishes in the data directory for `zkesim demo`. */
export interface StackFile {
  readonly smdpAddress: string;
  /** The stack's SM-DS (the eUICC's root SM-DS). */
  readonly smdsAddress: string;
  readonly es2: Es2ClientOptions;
  readonly euiccPort: number;
  readonly eid: string;
  readonly ciPem: string;
  readonly pid: number;
}

export class StackNotRunning extends Error {
  override readonly name = 'StackNotRunning';
}

export function readStackFile(dataDir: string): StackFile {
  const path = join(dataDir, STACK_FILE);
  if (!existsSync(path)) throw new StackNotRunning(`no running stack found (${path} is missing): start it with \`npm start\` in another terminal`);
  return JSON.parse(readFileSync(path, 'utf8')) as StackFile;
}

export async function runDemo(dataDir: string, print: (line: string) => void): Promise<void> {
  const stack = readStackFile(dataDir);
  print(`1. operator: ES2+ DownloadOrder + ConfirmOrder for EID ${stack.eid}, naming the SM-DS ${stack.smdsAddress}`);
  const order = await placeOrder(stack.es2, { profileType: 'TS48V1-A-UNIQUE', eid: stack.eid, smdsAddress: stack.smdsAddress });
  print(`   ICCID ${order.iccid}; the SM-DP+ registered event ${order.matchingId} on the SM-DS (ES12) before answering`);
  const card = await openTcpTransport('127.0.0.1', stack.euiccPort);
  try {
    const lpa = await Lpa.open({
      transport: card.transport,
      https: { trustedCertificates: [new X509Certificate(readFileSync(stack.ciPem)).toString()], resolve: { localhost: '127.0.0.1' } },
      progress: (step, detail) => print(`   · ${step}${detail === undefined ? '' : ` ${detail}`}`),
    });
    try {
      print("2. device: discovery at the eUICC's root SM-DS (ES11), then the download it names, without an activation code (notifications kept for step 4)");
      const outcome = await lpa.downloadDiscovered({ sendNotifications: false });
      print(`   SM-DS ${outcome.smdsAddress}: ${outcome.eventEntries.map((event) => `event ${event.eventId} at ${event.rspServerAddress}`).join(', ') || 'no events'}`);
      const download = outcome.downloads.find((entry) => entry.event.eventId === order.matchingId);
      if (download === undefined) throw new Error(`the SM-DS did not name the order's event ${order.matchingId}`);
      if ('error' in download) throw download.error;
      const iccid = iccidToDigits(download.result.iccid);
      print(`   installed ICCID ${iccid} in ISD-P ${Buffer.from(download.result.isdpAid).toString('hex').toUpperCase()}`);
      print('3. device: enable the profile');
      await lpa.enableProfile(iccid);
      const profile = (await lpa.listProfiles()).find((p) => p.iccid === iccid);
      print(`   ${iccid} is ${profile?.profileState ?? 'missing'}`);
      print('4. device: deliver the pending notifications to the SM-DP+ and remove them from the eUICC');
      for (const outcome of await lpa.processNotifications()) {
        print(`   #${outcome.seqNumber} ${outcome.event} → ${outcome.notificationAddress}: ${outcome.status}${outcome.error === undefined ? '' : ` (${outcome.error})`}`);
      }
      // The installation result makes the SM-DP+ delete the event (ES12 DeleteEvent through its outbox, within seconds).
      const left = await eventsLeft(lpa, order.matchingId);
      print(`5. done: ${(await lpa.listNotifications()).length} notification(s) left on the eUICC, ${left} event(s) for this order left on the SM-DS`);
    } finally {
      await lpa.close();
    }
  } finally {
    await card.close();
  }
}

/** The order's events still on the SM-DS, asked again for up to 10 s while the SM-DP+'s outbox deletes it. */
async function eventsLeft(lpa: Lpa, eventId: string): Promise<number> {
  const until = Date.now() + 10_000;
  for (;;) {
    const left = (await lpa.discover()).eventEntries.filter((event) => event.eventId === eventId).length;
    if (left === 0 || Date.now() > until) return left;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
