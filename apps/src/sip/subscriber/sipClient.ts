// The subscriber's SIP actions, each one sipp run: register the own pseudonymous address, call another one, answer
// a call; and the callee's media check at the verifier. Proofs come from sipProofs.ts.
import { request } from 'node:https';
import { startOnFreePort, type Group, type Identity } from '@zkesim/contracts';
import type { InviteFacts, SipVerdict } from '../core/verifier.js';
import { ownSipAddress, prepareInvite, prepareRegister, type PreparedRequest, type SipEpoch } from './sipProofs.js';
import { bodyOf, contactField, headerOf, runSipp, startSipp, tcpContact, type RunningSipp, type SipMessage, type SippResult } from './sippRunner.js';

export interface SipOutcome {
  address: string;
  callId: string;
  /** The final status received (undefined: none, sipp timed out). */
  status: number | undefined;
  reason: string;
  sipp: SippResult;
}

function outcome(prepared: Pick<PreparedRequest, 'address' | 'callId'>, sipp: SippResult): SipOutcome {
  const final = sipp.finals[0];
  return { address: prepared.address, callId: prepared.callId, status: final?.status, reason: final?.reason ?? '', sipp };
}

/** Sends a REGISTER prepared with `prepareRegister` (or any header line) from 127.0.0.1:`localPort`. */
export async function sendRegister(registrar: string, domain: string, prepared: Pick<PreparedRequest, 'address' | 'callId' | 'header'>, localPort: number, expires = 600): Promise<SipOutcome> {
  const contact = tcpContact(prepared.address.split('@')[0] ?? '', localPort);
  const sipp = await runSipp({ scenario: 'register', fields: [domain, prepared.address, contactField(contact), prepared.header, String(expires)], localPort, remote: registrar, callId: prepared.callId });
  return outcome(prepared, sipp);
}

/**
 * Registers the subscriber's address with a fresh proof; its contact is 127.0.0.1:`localPort` over TCP (PortTaken
 * when another process holds that port). Without `localPort` a free port is chosen, and when another process
 * takes it before sipp binds it, a fresh one with a fresh proof (the proof commits to the Contact), a few times.
 */
export async function sipRegister(registrar: string, identity: Identity, group: Group, epoch: SipEpoch, localPort?: number): Promise<SipOutcome & { prepared: PreparedRequest; localPort: number }> {
  const registerOn = async (port: number) => {
    const address = ownSipAddress(identity, epoch);
    const prepared = await prepareRegister(identity, group, epoch, tcpContact(address.split('@')[0] ?? '', port));
    return { ...(await sendRegister(registrar, epoch.domain, prepared, port)), prepared, localPort: port };
  };
  return localPort === undefined ? startOnFreePort(registerOn) : registerOn(localPort);
}

/** The a=fingerprint value (RFC 8122 §5) the call scenario offers. */
export const fingerprintLine = (fingerprint: string): string => `a=fingerprint:${fingerprint}`;

/** Sends an INVITE prepared with `prepareInvite` for `fingerprint`, then ACK and BYE once answered. */
export async function sendInvite(registrar: string, callee: string, prepared: Pick<PreparedRequest, 'address' | 'callId' | 'header'>, fingerprint: string, localPort: number): Promise<SipOutcome> {
  const contact = tcpContact(prepared.address.split('@')[0] ?? '', localPort);
  const sipp = await runSipp({ scenario: 'call', fields: [prepared.address, callee, contactField(contact), prepared.header, fingerprint], localPort, remote: registrar, callId: prepared.callId });
  return outcome(prepared, sipp);
}

/**
 * Calls `callee` with a fresh proof committing to `fingerprint` (`sha-256 AB:CD:…`) from 127.0.0.1:`localPort`, or
 * from a free port, chosen again when another process takes it first (the INVITE's proof does not bind the port,
 * and nothing was sent, so the same proof goes out from the fresh one).
 */
export async function sipCall(registrar: string, identity: Identity, group: Group, epoch: SipEpoch, callee: string, fingerprint: string, localPort?: number): Promise<SipOutcome & { prepared: PreparedRequest }> {
  const prepared = await prepareInvite(identity, group, epoch, callee, fingerprintLine(fingerprint));
  const callFrom = (port: number) => sendInvite(registrar, callee, prepared, fingerprint, port);
  return { ...(await (localPort === undefined ? startOnFreePort(callFrom) : callFrom(localPort))), prepared };
}

/** Waits for one call on 127.0.0.1:`localPort` (the registered contact) and answers it with `fingerprint`. */
export function answerCall(localPort: number, fingerprint: string, timeoutSeconds = 30): RunningSipp {
  return startSipp({ scenario: 'answer', fields: [fingerprint], localPort, timeoutSeconds });
}

/** The INVITE a callee received, as the media check takes it. */
export function offerFacts(invite: SipMessage): InviteFacts {
  const uri = (value: string | undefined) => /<([^>]+)>/.exec(value ?? '')?.[1] ?? (value ?? '').split(';')[0]?.trim() ?? '';
  return {
    proof: headerOf(invite, 'X-ZK-Proof'),
    callId: headerOf(invite, 'Call-ID') ?? '',
    cseq: headerOf(invite, 'CSeq') ?? '',
    from: uri(headerOf(invite, 'From')),
    to: uri(headerOf(invite, 'To')),
    sdp: bodyOf(invite),
  };
}

/** Asks the verifier whether the offer's media keys are the ones the caller's proof commits to. */
export function checkMedia(verifierUrl: string, caPem: string, facts: InviteFacts): Promise<SipVerdict> {
  const hex = (text: string | undefined) => Buffer.from(text ?? '', 'utf8').toString('hex');
  const body = JSON.stringify({ proof: hex(facts.proof), callId: hex(facts.callId), cseq: hex(facts.cseq), from: hex(facts.from), to: hex(facts.to), sdp: hex(facts.sdp) });
  return new Promise((resolve, reject) => {
    const call = request(new URL('/media-check', verifierUrl), { method: 'POST', ca: caPem, headers: { 'content-type': 'application/json' }, timeout: 10_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status === 200) resolve({ status: 200, address: text });
        else if (status === 400 || status === 401 || status === 403 || status === 503) resolve({ status, reason: text });
        else reject(new Error(`media check: HTTP ${status} ${text}`));
      });
    });
    call.on('timeout', () => call.destroy(new Error('media check: timed out')));
    call.on('error', reject);
    call.end(body);
  });
}
