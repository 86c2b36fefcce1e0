// Runs an ES9+ call inside its session: an unknown, expired or wrong-state transactionId is 8.10.1 / 3.9
// (§5.6.2 – §5.6.5), and a call that fails ends the session unless it says otherwise.
import { TransactionIdUnknown } from '@zkesim/protocol';
import type { DownloadSession, SessionCall } from '../core/downloadSession.js';
import type { Es9Context } from './context.js';

export class KeepSession extends Error {
  override readonly name = 'KeepSession';
  constructor(readonly error: Error) {
    super(error.message, { cause: error });
  }
}

export async function withSession<T>(
  ctx: Es9Context,
  transactionId: Uint8Array,
  call: SessionCall,
  work: (session: DownloadSession) => Promise<T>,
): Promise<T> {
  const now = ctx.deps.clock.now();
  const session = await ctx.sessions.forCall(transactionId, call, now);
  if (session === undefined) {
    const expired = await ctx.sessions.isExpired(transactionId, now);
    throw new TransactionIdUnknown({ subjectIdentifier: expired ? 'transactionId (session expired)' : 'transactionId' });
  }
  try {
    return await work(session);
  } catch (error) {
    // A failure that the caller may retry within the same session (a wrong confirmation code) is wrapped in KeepSession.
    if (error instanceof KeepSession) throw error.error;
    await ctx.sessions.close(transactionId);
    throw error;
  }
}
