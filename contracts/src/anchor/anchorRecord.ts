// What one download event becomes on the chain side: a record of hashes and codes, never an EID, ICCID or
// personal data. The leaf hash of the record (OpenZeppelin StandardMerkleTree hashing, the same as
// DownloadAnchor.leafHash) is the event's id, so recording the same install result twice is one event.
import { keccak256, toUtf8Bytes, getBytes, hexlify, getAddress, isAddress } from 'ethers';
import { InvalidAnchorEvent } from '../errors.js';

/**
 * The final result of a download. `successResult` and `errorResult` are the finalResult of the eUICC's
 * ProfileInstallationResultData, which reaches the SM-DP+ through ES9+.HandleNotification (SGP.22 §5.6.4;
 * bppCommandId and errorReason numbers of SGP.22 §5.7.6). `sessionFailure` is a download that ended at the
 * SM-DP+ (an ES9+ error or CancelSession, §5.6.5) with no ProfileInstallationResult, recorded with the
 * subjectCode/reasonCode the SM-DP+ returned.
 */
export type InstallResult =
  | { kind: 'successResult' }
  | { kind: 'errorResult'; bppCommandId: number; errorReason: number }
  | { kind: 'sessionFailure'; subjectCode: string; reasonCode: string }
  | { kind: 'profileManagement'; operation: ProfileManagementOperation };

/**
 * A later event of an installed profile: the eUICC's enable, disable or delete notification (SGP.22 §3.5,
 * NotificationEvent bit names), anchored like an installation result (the activity log, contracts/README.md).
 */
export type ProfileManagementOperation = 'notificationEnable' | 'notificationDisable' | 'notificationDelete';

/**
 * Who the event was for, without personal data. `activityTag` is the activity log's per-event tag
 * (identity/activity.ts): unlinkable to the commitment and to the subscriber's other events for anyone without
 * the identity secret, and claimable by its holder with a Semaphore proof.
 */
export type SubscriberReference = { identityCommitment: Uint8Array } | { subscriberContract: string } | { activityTag: Uint8Array };

/** One install result, as the SM-DP+ hands it to `AnchorOutbox.record`. */
export interface InstallResultEvent {
  /** SGP.22 TransactionId of the download session (1 to 16 bytes). */
  transactionId: Uint8Array;
  subscriber?: SubscriberReference;
  profileType: string;
  result: InstallResult;
  /**
   * When the result was known, ms since the Unix epoch (from the SM-DP+'s injected clock).
   * SPEC-AMBIGUITY: ProfileInstallationResult carries no time, so this is when the SM-DP+ received the
   * result (HandleNotification), not when the eUICC installed the profile; anchored at one-second precision.
   */
  occurredAt: number;
}

export const OUTCOME = { successResult: 0, errorResult: 1, sessionFailure: 2, profileManagement: 3 } as const;
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

/** The anchored record; field order and types match DownloadAnchor.EventRecord. */
export interface AnchorRecord {
  transactionIdHash: Uint8Array;
  subscriber: Uint8Array;
  profileTypeHash: Uint8Array;
  outcome: Outcome;
  resultHash: Uint8Array;
  /** Unix seconds. */
  occurredAt: bigint;
}

/** Leaf encoding for StandardMerkleTree, in DownloadAnchor.EventRecord order. */
export const RECORD_ENCODING = ['bytes32', 'bytes32', 'bytes32', 'uint8', 'bytes32', 'uint64'];
export type RecordValues = [string, string, string, number, string, string];

/** An event id: the record's 32-byte leaf hash as 0x-hex (the form shown to people and the CLI). */
export type AnchorEventId = string & { readonly __brand: 'AnchorEventId' };

export function anchorEventId(text: string): AnchorEventId {
  if (!/^0x[0-9a-f]{64}$/.test(text)) throw new InvalidAnchorEvent(`event id must be 0x and 64 lowercase hex digits, got ${JSON.stringify(text)}`);
  return text as AnchorEventId;
}

function assertByte(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) throw new InvalidAnchorEvent(`${field} must be an integer 0..255`);
}

/** The canonical result text whose keccak256 is `resultHash`; a verifier rebuilds it from the result. */
export function resultText(result: InstallResult): string {
  switch (result.kind) {
    case 'successResult':
      return 'successResult';
    case 'errorResult':
      assertByte('result.bppCommandId', result.bppCommandId);
      assertByte('result.errorReason', result.errorReason);
      return `errorResult:${result.bppCommandId}:${result.errorReason}`;
    case 'sessionFailure':
      if (!/^[0-9.]+$/.test(result.subjectCode) || !/^[0-9.]+$/.test(result.reasonCode)) {
        throw new InvalidAnchorEvent('result.subjectCode and result.reasonCode must be dotted codes such as 8.1.1');
      }
      return `sessionFailure:${result.subjectCode}:${result.reasonCode}`;
    case 'profileManagement':
      if (!['notificationEnable', 'notificationDisable', 'notificationDelete'].includes(result.operation)) {
        throw new InvalidAnchorEvent('result.operation must be notificationEnable, notificationDisable or notificationDelete');
      }
      return `profileManagement:${result.operation}`;
  }
}

function subscriberBytes(subscriber: SubscriberReference | undefined): Uint8Array {
  if (subscriber === undefined) return new Uint8Array(32);
  if ('activityTag' in subscriber) {
    if (subscriber.activityTag.length !== 32) throw new InvalidAnchorEvent('subscriber.activityTag must be 32 bytes');
    return subscriber.activityTag;
  }
  if ('identityCommitment' in subscriber) {
    if (subscriber.identityCommitment.length !== 32) throw new InvalidAnchorEvent('subscriber.identityCommitment must be 32 bytes');
    return subscriber.identityCommitment;
  }
  if (!isAddress(subscriber.subscriberContract)) throw new InvalidAnchorEvent('subscriber.subscriberContract must be an address');
  const padded = new Uint8Array(32);
  padded.set(getBytes(getAddress(subscriber.subscriberContract)), 12);
  return padded;
}

/** Validates an install result and reduces it to its anchor record. */
export function anchorRecordOf(event: InstallResultEvent): AnchorRecord {
  if (!(event.transactionId instanceof Uint8Array) || event.transactionId.length < 1 || event.transactionId.length > 16) {
    throw new InvalidAnchorEvent('transactionId must be 1 to 16 bytes (SGP.22 TransactionId)');
  }
  if (typeof event.profileType !== 'string' || event.profileType.length === 0) throw new InvalidAnchorEvent('profileType must be a non-empty string');
  if (!Number.isSafeInteger(event.occurredAt) || event.occurredAt < 0) throw new InvalidAnchorEvent('occurredAt must be ms since the epoch');
  return {
    transactionIdHash: getBytes(keccak256(event.transactionId)),
    subscriber: subscriberBytes(event.subscriber),
    profileTypeHash: getBytes(keccak256(toUtf8Bytes(event.profileType))),
    outcome: OUTCOME[event.result.kind],
    resultHash: getBytes(keccak256(toUtf8Bytes(resultText(event.result)))),
    occurredAt: BigInt(Math.floor(event.occurredAt / 1000)),
  };
}

export function recordValues(record: AnchorRecord): RecordValues {
  return [
    hexlify(record.transactionIdHash),
    hexlify(record.subscriber),
    hexlify(record.profileTypeHash),
    record.outcome,
    hexlify(record.resultHash),
    record.occurredAt.toString(),
  ];
}

/** The record as the DownloadAnchor.EventRecord argument of `leafHash` and `verifyRecord` (bytes32 as 0x-hex). */
export interface EventRecordArgument {
  transactionIdHash: string;
  subscriber: string;
  profileTypeHash: string;
  outcome: Outcome;
  resultHash: string;
  occurredAt: bigint;
}

export function eventRecordArgument(record: AnchorRecord): EventRecordArgument {
  return {
    transactionIdHash: hexlify(record.transactionIdHash),
    subscriber: hexlify(record.subscriber),
    profileTypeHash: hexlify(record.profileTypeHash),
    outcome: record.outcome,
    resultHash: hexlify(record.resultHash),
    occurredAt: record.occurredAt,
  };
}

/** One 32-byte ABI word holding an unsigned integer, big-endian, left-padded. */
function uintWord(value: bigint): Uint8Array {
  const word = new Uint8Array(32);
  let rest = value;
  for (let index = 31; index >= 0 && rest > 0n; index -= 1) {
    word[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return word;
}

/**
 * keccak256(keccak256(abi.encode(record))): the StandardMerkleTree leaf, also the event id. Every field is a
 * static ABI type, so abi.encode is the six 32-byte words in order; writing them directly keeps `record()`
 * fast (ethers' generic AbiCoder costs ~100 µs per call). Tests check the result against the library, AbiCoder
 * and DownloadAnchor.leafHash.
 */
export function recordLeafHash(record: AnchorRecord): AnchorEventId {
  const encoded = new Uint8Array(6 * 32);
  encoded.set(record.transactionIdHash, 0);
  encoded.set(record.subscriber, 32);
  encoded.set(record.profileTypeHash, 64);
  encoded.set(uintWord(BigInt(record.outcome)), 96);
  encoded.set(record.resultHash, 128);
  encoded.set(uintWord(record.occurredAt), 160);
  return anchorEventId(keccak256(getBytes(keccak256(encoded))));
}
