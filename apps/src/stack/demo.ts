// `zkesim demo`: what an operator and a device do with the running stack, one printed step at a time:
// ES2+ order, download through the LPA (real HTTPS, real APDUs to the stack's eUICC), enable, then the
// pending notifications delivered to the SM-DP+ and removed from the eUICC.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatActivationCode } from '@zkesim/lpa-core';
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
  print(`1. operator: ES2+ DownloadOrder + ConfirmOrder for EID ${stack.eid}`);
  const order = await placeOrder(stack.es2, { profileType: 'TS48V1-A-UNIQUE', eid: stack.eid });
  const activationCode = formatActivationCode({ smdpAddress: stack.smdpAddress, matchingId: order.matchingId, confirmationCodeRequired: false });
  print(`   ICCID ${order.iccid}, activation code ${activationCode}`);
  const card = await openTcpTransport('127.0.0.1', stack.euiccPort);
  try {
    const lpa = await Lpa.open({
      transport: card.transport,
      https: { trustedCertificates: [new X509Certificate(readFileSync(stack.ciPem)).toString()], resolve: { localhost: '127.0.0.1' } },
      progress: (step, detail) => print(`   · ${step}${detail === undefined ? '' : ` ${detail}`}`),
    });
    try {
      print('2. device: download the profile (notifications kept for step 4)');
      const downloaded = await lpa.downloadProfile({ smdpAddress: stack.smdpAddress, matchingId: order.matchingId, sendNotifications: false });
      const iccid = iccidToDigits(downloaded.iccid);
      print(`   installed ICCID ${iccid} in ISD-P ${Buffer.from(downloaded.isdpAid).toString('hex').toUpperCase()}`);
      print('3. device: enable the profile');
      await lpa.enableProfile(iccid);
      const profile = (await lpa.listProfiles()).find((p) => p.iccid === iccid);
      print(`   ${iccid} is ${profile?.profileState ?? 'missing'}`);
      print('4. device: deliver the pending notifications to the SM-DP+ and remove them from the eUICC');
      for (const outcome of await lpa.processNotifications()) {
        print(`   #${outcome.seqNumber} ${outcome.event} → ${outcome.notificationAddress}: ${outcome.status}${outcome.error === undefined ? '' : ` (${outcome.error})`}`);
      }
      print(`5. done: ${(await lpa.listNotifications()).length} notification(s) left on the eUICC`);
    } finally {
      await lpa.close();
    }
  } finally {
    await card.close();
  }
}
