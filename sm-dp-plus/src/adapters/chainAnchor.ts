// Anchoring of installation results on the chain: every result the SM-DP+ has
// committed becomes a record in the contracts package's durable outbox, and the order keeps the record's id
// so it can show its anchor status. Only hashes are anchored (no EID, no ICCID); a worker (`npm start`, or
// `zkesim chain anchor-now`) batches the records into Merkle roots on the chain, so the download path never
// waits for the chain.
import { anchorEventId, openAnchorOutbox, type AnchorOutbox, type AnchorStatus, type InstallResult } from '@zkesim/contracts';
import { ErrorReason } from '@zkesim/protocol';
import type { Clock, Logger } from '../core/deps.js';
import type { SmdpRepository } from '../core/repository.js';
import type { InstallResultEvent } from '../es9plus/context.js';

export interface InstallAnchor {
  /** The SM-DP+'s `onInstallResult` hook: record the result, then remember the record on the order. */
  onInstallResult(event: InstallResultEvent): void;
  status(eventId: string): AnchorStatus;
  close(): void;
}

function installResultOf(event: InstallResultEvent): InstallResult {
  if (event.success) return { kind: 'successResult' };
  // SGP.22 §5.7.6: a failed installation always carries an errorResult; installFailedDueToUnknownError(127) if it could not be read.
  const errorReason = event.errorResult?.errorReason ?? ErrorReason.named.installFailedDueToUnknownError;
  return { kind: 'errorResult', bppCommandId: event.errorResult?.bppCommandId ?? 0, errorReason };
}

export function createInstallAnchor(options: { outboxDirectory: string; clock: Clock; repository: SmdpRepository; logger: Logger }): InstallAnchor {
  const outbox: AnchorOutbox = openAnchorOutbox(options.outboxDirectory, () => options.clock.now());
  const { repository, logger } = options;
  return {
    onInstallResult(event) {
      const transactionId = Buffer.from(event.transactionId).toString('hex').toUpperCase();
      let eventId: string;
      try {
        ({ eventId } = outbox.record({ transactionId: event.transactionId, profileType: event.profileType, result: installResultOf(event), occurredAt: event.at }));
      } catch (error) {
        // The result itself is committed and acknowledged; only its anchoring failed, which an operator must see.
        logger.error({ function: 'handleNotification', transactionId, error: error instanceof Error ? error.message : String(error) }, 'installation result not recorded for anchoring');
        return;
      }
      repository
        .transaction((tx) => tx.updateOrder(event.orderId, { anchorEventId: eventId }))
        .catch((error: unknown) => {
          logger.error({ function: 'handleNotification', transactionId, eventId, error: error instanceof Error ? error.message : String(error) }, 'anchor record not linked to its order');
        });
    },
    status: (eventId) => outbox.status(anchorEventId(eventId)),
    close: () => outbox.close(),
  };
}
