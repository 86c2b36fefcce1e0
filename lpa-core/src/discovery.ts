// Event retrieval from an SM-DS (SGP.22 v2.2.2 §3.6.4, ES11 §5.8): common mutual authentication with the
// SM-DS (no matchingId), then AuthenticateClient returns the event records for this EID.
import type { EventEntry } from '@zkesim/protocol';
import type { LpaContext } from './context.js';
import { authenticateServerFailure, authenticateWithServer } from './download/authenticate.js';

export async function discoverEvents(context: LpaContext, smdsAddress: string): Promise<EventEntry[]> {
  const session = await authenticateWithServer(context, smdsAddress, undefined, true);
  const answer = session.authenticateServerResponse.value;
  if ('authenticateResponseError' in answer) throw authenticateServerFailure(answer.authenticateResponseError.authenticateErrorCode);
  const result = await context.server(smdsAddress).es11AuthenticateClient({
    transactionId: session.transactionId,
    authenticateServerResponse: session.authenticateServerResponse.bytes,
  });
  return result.eventEntries;
}
