// Runs an ES9+ call inside its session: an unknown, expired or wrong-state transactionId is 8.10.1 / 3.9
// (§5.6.2 – §5.6.5), and a call that fails ends the session unless it says otherwise.
import { TransactionIdUnknown } from '@zkesim/protocol';
import type { DownloadSession, SessionCall, SessionState } from '../core/downloadSession.js';
import type { SmdpTransaction } from '../core/repository.js';
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

/** What is left to do to a session once the call's transaction has committed. */
export type AfterCommit = () => Promise<unknown>;

/**
 * Moves the session to `to` with the call's transaction `tx` where the store can (a shared store sends the change
 * with the COMMIT: both are made or neither, DownloadSessionStore.advanceIn); otherwise returns the change for
 * after the commit, as the in-memory table makes it.
 */
export function advanceWith(ctx: Es9Context, tx: SmdpTransaction, session: DownloadSession, to: SessionState, fields?: Partial<DownloadSession>): AfterCommit {
  const { sessions } = ctx;
  if (sessions.advanceIn === undefined) return async () => sessions.advance(session, to, fields);
  void sessions.advanceIn(tx, session, to, fields);
  return async () => undefined;
}

/** As advanceWith, for closing the session. */
export function closeWith(ctx: Es9Context, tx: SmdpTransaction, transactionId: Uint8Array): AfterCommit {
  const { sessions } = ctx;
  if (sessions.closeIn === undefined) return async () => sessions.close(transactionId);
  void sessions.closeIn(tx, transactionId);
  return async () => undefined;
}
