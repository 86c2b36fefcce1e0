// Confirmation Code hash (SGP.22 v2.2.2 §2.6 / §3.1.3; hashCc of ES10b.PrepareDownload, §5.7.5).
import { createHash } from 'node:crypto';
import { CryptoInputError, assertBytes } from './errors.js';

/**
 * hashCc = SHA-256( SHA-256(CC) ‖ transactionId ), where CC is the code's UTF-8 bytes as typed (no
 * terminator) and transactionId the raw TransactionId (1..16 bytes) from smdpSigned2.
 */
export function hashConfirmationCode(confirmationCode: string, transactionId: Uint8Array): Uint8Array {
  assertBytes(transactionId, 'transactionId');
  if (transactionId.length < 1 || transactionId.length > 16) {
    throw new CryptoInputError(`transactionId: expected 1 to 16 bytes, got ${transactionId.length}`);
  }
  const inner = createHash('sha256').update(Buffer.from(confirmationCode, 'utf8')).digest();
  return new Uint8Array(createHash('sha256').update(inner).update(transactionId).digest());
}
