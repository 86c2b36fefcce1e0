// Event retrieval from SM-DSs (SGP.22 v2.2.2 §3.6.2 and §3.6.4, ES11 §5.8): common mutual authentication with
// the SM-DS (no matchingId), then AuthenticateClient returns the event records for this EID. An event on the
// Root SM-DS may point at an Alternative SM-DS (§3.6.1) instead of an SM-DP+; the LPA then retrieves the
// events there, up to a depth limit and never twice from one SM-DS, so a cascade loop ends.
import { id_rspRole_ds_auth, type EventEntry } from '@zkesim/protocol';
import { parseCertificate, policiesOf } from '@zkesim/pki';
import type { LpaContext } from './context.js';
import { authenticateServerRequest, authenticateServerFailure } from './download/authenticate.js';
import { buildDeviceInfo } from './deviceInfo.js';
import { authenticateServer, getEuiccChallenge, getEuiccInfo1 } from './es10-client/es10b.js';
import { InvalidInput } from './errors.js';

/**
 * How many pointers the LPA follows from the SM-DS it starts at. SPEC-AMBIGUITY: v2.2.2 has two levels
 * (Root → Alternative SM-DS), so one hop suffices; we allow 2 and stop there, whatever the SM-DSs answer.
 */
export const DEFAULT_DISCOVERY_DEPTH = 2;

/** A pending download: an event naming an SM-DP+, and the SM-DS it was found on. */
export interface DiscoveredEvent extends EventEntry {
  readonly smdsAddress: string;
}

/** An event not followed: a pointer to an SM-DS already visited (loop) or beyond the depth limit. */
export interface SkippedEvent extends EventEntry {
  readonly smdsAddress: string;
  readonly reason: 'loop' | 'depthLimit';
}

export interface DiscoveryResult {
  readonly eventEntries: DiscoveredEvent[];
  readonly skipped: SkippedEvent[];
  /** The SM-DSs whose events were retrieved, in order. */
  readonly visited: string[];
}

type Retrieval = { kind: 'smdp' } | { kind: 'smds'; entries: EventEntry[] } | { kind: 'beyondDepth' };

/**
 * ES11 InitiateAuthentication at `address`, then, if the server signed with CERT.DSauth, AuthenticateServer on
 * the card and ES11 AuthenticateClient (unless `mayFollow` is false). ES9+ and ES11 share their paths (§6.5), so an event's address is
 * told apart by the role of the certificate that answers. SPEC-AMBIGUITY: v2.2.2 does not say how an LPA knows
 * that an event names an Alternative SM-DS; the certificate role (id-rspRole-ds-auth) is the one sure sign.
 */
async function retrieve(context: LpaContext, address: string, mayFollow: boolean): Promise<Retrieval> {
  const { channel, progress } = context;
  const server = context.server(address);
  progress?.('getEuiccChallenge');
  const euiccChallenge = await getEuiccChallenge(channel);
  progress?.('getEuiccInfo1');
  const euiccInfo1 = await getEuiccInfo1(channel);
  progress?.('initiateAuthentication', address);
  const initiated = await server.es11InitiateAuthentication({ euiccChallenge, euiccInfo1: euiccInfo1.bytes, smdpAddress: address });
  if (!policiesOf(parseCertificate(initiated.serverCertificate)).includes(id_rspRole_ds_auth)) return { kind: 'smdp' };
  // An SM-DS beyond the depth limit is only recognised, never asked for its events.
  if (!mayFollow) return { kind: 'beyondDepth' };
  progress?.('authenticateServer');
  const response = await authenticateServer(channel, authenticateServerRequest(initiated, undefined, buildDeviceInfo(context.device)));
  const answer = response.value;
  if ('authenticateResponseError' in answer) throw authenticateServerFailure(answer.authenticateResponseError.authenticateErrorCode);
  progress?.('authenticateClient', address);
  const result = await server.es11AuthenticateClient({ transactionId: initiated.transactionId, authenticateServerResponse: response.bytes });
  return { kind: 'smds', entries: result.eventEntries };
}

const key = (address: string): string => address.toLowerCase();

export async function discoverEvents(context: LpaContext, smdsAddress: string, maxDepth = DEFAULT_DISCOVERY_DEPTH): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { eventEntries: [], skipped: [], visited: [] };
  const visited = new Set<string>([key(smdsAddress)]);
  const start = await retrieve(context, smdsAddress, true);
  if (start.kind !== 'smds') throw new InvalidInput('smdsAddress', `${smdsAddress} is not an SM-DS (its certificate is not CERT.DSauth)`);
  result.visited.push(smdsAddress);
  // Breadth first: the events of one SM-DS, then those of the SM-DSs its events point at.
  let level: { address: string; entries: EventEntry[] }[] = [{ address: smdsAddress, entries: start.entries }];
  for (let depth = 0; level.length > 0; depth += 1) {
    const next: typeof level = [];
    for (const { address, entries } of level) {
      for (const entry of entries) {
        const target = entry.rspServerAddress;
        const found = { ...entry, smdsAddress: address };
        if (visited.has(key(target))) {
          result.skipped.push({ ...found, reason: 'loop' });
          continue;
        }
        // A server that cannot be asked is taken for the SM-DP+ it most likely is: the download then reports why.
        const retrieval: Retrieval = await retrieve(context, target, depth < maxDepth).catch((): Retrieval => ({ kind: 'smdp' }));
        if (retrieval.kind === 'smdp') {
          result.eventEntries.push(found);
        } else if (retrieval.kind === 'smds') {
          visited.add(key(target));
          result.visited.push(target);
          next.push({ address: target, entries: retrieval.entries });
        } else {
          result.skipped.push({ ...found, reason: 'depthLimit' });
        }
      }
    }
    level = next;
  }
  return result;
}
