// A stand-in for the SM-DP+'s stream of install results: real SGP.22-shaped values (16-byte transactionIds,
// ProfileInstallationResult codes of SGP.22 §5.7.6, ES2+ subject/reason codes), deterministic per index.
import { getBytes, id } from 'ethers';
import type { InstallResultEvent } from '@zkesim/contracts';
import { BppCommandId, ErrorReason } from '@zkesim/protocol';

export function installResult(index: number, base = 1_790_000_000_000): InstallResultEvent {
  const result: InstallResultEvent['result'] =
    index % 7 === 3
      ? { kind: 'errorResult', bppCommandId: BppCommandId.named.loadProfileElements, errorReason: ErrorReason.named.installFailedDueToPEProcessingError }
      : index % 11 === 5
        ? { kind: 'sessionFailure', subjectCode: '8.1.1', reasonCode: '3.8' }
        : { kind: 'successResult' };
  return {
    transactionId: getBytes(id(`download session ${index}`)).slice(0, 16),
    subscriber: index % 2 === 0 ? { identityCommitment: getBytes(id(`commitment ${index}`)) } : { subscriberContract: `0x${(index + 1).toString(16).padStart(40, '0')}` },
    profileType: ['Operator-Consumer', 'Operator-IoT', 'Operator-Test'][index % 3] ?? 'Operator-Consumer',
    result,
    occurredAt: base + index * 1_000,
  };
}
