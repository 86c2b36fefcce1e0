// The operator onboarding (ZK identity layer): an operator that has done its KYC hands us an opaque reference to
// its record (and optionally the subscriber's wallet); we make the subscriber's Semaphore identity, place the
// eSIM order with that identity in it (ES2+ DownloadOrder + ConfirmOrder semantics, through the same core
// functions), and onboard the commitment on chain (SubscriberFactory: a Subscriber contract, membership of the
// subscriber group). Idempotent on the KYC reference: the same reference gets the same answer, never a second
// order or contract.
//
// Order of the steps, so that a crash anywhere leaves something a retry completes: the contract address is
// computed first (CREATE2, `subscriberAddress`), so the token in the order names it before the chain has it; the
// link is written once the order carries the identity, then the chain onboarding runs and the link is marked
// done. A retry of an `ordered` link onboards the same commitment again (the factory returns the same contract).
// A crash between the order and the link leaves an order nobody knows the matching ID of; it expires with the
// order lifetime.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Codes, RspError, formatActivationCode, iccidDigits } from '@zkesim/protocol';
import { createIdentity, walletAddress, InvalidWalletAddress } from '@zkesim/contracts';
import type { CoreDeps, OrderPolicy } from '../core/deps.js';
import { setOrderSubscriberIdentity } from '../core/subscriberIdentity.js';
import { confirmOrder, confirmationCodeDigest } from '../es2plus/confirmOrder.js';
import { downloadOrder } from '../es2plus/downloadOrder.js';
import type { OperatorIdentity } from '../es2plus/operator.js';
import type { OnboardingLink, OnboardingStore } from './onboardingStore.js';

/** The chain side the onboarding needs: the subscriber registry, written from the stack's operator account. */
export interface SubscriberChain {
  readonly chainId: number;
  /** The SubscriberFactory's address (the registry the token names). */
  readonly registry: string;
  /** The contract `onboard(commitment, wallet)` makes, before it exists (CREATE2). */
  subscriberAddress(commitment: bigint, wallet: string | undefined): Promise<string>;
  /** Onboards the commitment (idempotent for the same commitment and wallet); returns the contract address. */
  onboard(commitment: bigint, wallet: string | undefined): Promise<string>;
  /** Erasure: whether the commitment is in the subscriber group, and its removal (contracts' `SubscriberGroup`). */
  isMember(commitment: bigint): Promise<boolean>;
  revoke(commitment: bigint): Promise<void>;
}

export interface OnboardingDeps {
  core: CoreDeps;
  policy: OrderPolicy;
  chain: SubscriberChain;
  store: OnboardingStore;
  /**
   * The key of the reference hash (32 bytes, secret): our store holds HMAC(key, reference), so it does not hold
   * the operator's id in clear and the hash cannot be recomputed from a guessed reference without the key.
   */
  referenceKey: Uint8Array;
}

export interface OnboardingRequest {
  kycReference: string;
  wallet?: string;
  profileType: string;
  eid?: string;
  /**
   * The confirmation code the operator generated and gives the end user (SGP.22 v2.2.2 §3.1.1): when present, the
   * order requires it (ES2+ ConfirmOrder with confirmationCode: we keep its digest only) and the activation code
   * says so.
   */
  confirmationCode?: string;
}

export interface OnboardingAnswer {
  subscriberContract: string;
  /** The identity commitment, decimal. */
  commitment: string;
  chainId: number;
  registry: string;
  wallet?: string;
  order: { iccid: string; matchingId: string; smdpAddress: string; activationCode: string; confirmationCodeRequired: boolean };
}

/**
 * A request field is wrong; `field` names it (never its value). An RspError (function / invalid, the field as
 * subjectIdentifier) so the listener logs it as a refusal, not a crash.
 */
export class OnboardingRefused extends RspError {
  constructor(
    readonly field: string,
    message: string,
    /** 400 for malformed input, 409 for a request that contradicts the earlier one with the same reference. */
    readonly status: 400 | 409 = 400,
  ) {
    super(Codes.invalidRequestField, message, { subjectIdentifier: field });
  }
}

const MAX_REFERENCE_LENGTH = 256;

/**
 * SPEC-AMBIGUITY: SGP.22 fixes no format for the confirmation code (the end user types it into the LPA; §5.3.2
 * only carries it as a string). We accept 4 to 32 ASCII letters and digits: typeable on any device's keypad or
 * keyboard, and never a space or control character that an LPA could strip or mangle before hashing it.
 */
const CONFIRMATION_CODE = /^[0-9A-Za-z]{4,32}$/;

/** The confirmation code as the API accepts it; the error names the field, never its value. */
export function checkConfirmationCode(confirmationCode: unknown): asserts confirmationCode is string {
  if (typeof confirmationCode !== 'string' || !CONFIRMATION_CODE.test(confirmationCode)) {
    throw new OnboardingRefused('confirmationCode', 'confirmationCode: must be 4 to 32 letters and digits');
  }
}

/**
 * SPEC-AMBIGUITY: no specification covers this link (the onboarding is ours). We keep a keyed hash (HMAC-SHA256,
 * RFC 2104) rather than the reference or a plain hash: references are often guessable (sequential ids), and a
 * plain hash of one is checked in one step against a copy of the store. The operator id is part of it, so two
 * operators' equal references are two subscribers.
 */
export function referenceHash(key: Uint8Array, operatorId: string, kycReference: string): string {
  return createHmac('sha256', key).update(operatorId, 'utf8').update(Uint8Array.of(0)).update(kycReference, 'utf8').digest('hex');
}

/**
 * One onboarding or erasure at a time per reference hash (two concurrent requests for one reference get one
 * onboarding; an erasure waits for an onboarding in flight, so it finds the link that onboarding writes).
 */
const inFlight = new Map<string, Promise<unknown>>();

export async function underReferenceLock<T>(hash: string, body: () => Promise<T>): Promise<T> {
  const previous = inFlight.get(hash) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(body);
  inFlight.set(hash, run);
  try {
    return await run;
  } finally {
    if (inFlight.get(hash) === run) inFlight.delete(hash);
  }
}

/** The KYC reference as the API accepts it; the error names the field. */
export function checkKycReference(kycReference: unknown): asserts kycReference is string {
  if (typeof kycReference !== 'string' || kycReference.length === 0 || kycReference.length > MAX_REFERENCE_LENGTH) {
    throw new OnboardingRefused('kycReference', `kycReference: must be a string of 1 to ${MAX_REFERENCE_LENGTH} characters`);
  }
}

export async function onboardSubscriber(deps: OnboardingDeps, operator: OperatorIdentity, request: OnboardingRequest): Promise<OnboardingAnswer> {
  checkKycReference(request.kycReference);
  if (request.confirmationCode !== undefined) checkConfirmationCode(request.confirmationCode);
  let wallet: string | undefined;
  if (request.wallet !== undefined) {
    try {
      wallet = walletAddress(request.wallet);
    } catch (error) {
      if (error instanceof InvalidWalletAddress) throw new OnboardingRefused('wallet', error.message);
      throw error;
    }
  }
  const hash = referenceHash(deps.referenceKey, operator.operatorId, request.kycReference);
  return underReferenceLock(hash, () => onboardOnce(deps, operator, request, wallet, hash));
}

async function onboardOnce(deps: OnboardingDeps, operator: OperatorIdentity, request: OnboardingRequest, wallet: string | undefined, hash: string): Promise<OnboardingAnswer> {
  let link = deps.store.get(hash);
  if (link !== undefined && link.wallet !== wallet) {
    throw new OnboardingRefused('wallet', 'this KYC reference was onboarded with another wallet', 409);
  }
  if (link !== undefined && request.confirmationCode !== undefined) await checkRepeatedCode(deps, link, request.confirmationCode);
  if (link === undefined) link = await placeIdentityOrder(deps, operator, request, wallet, hash);
  if (link.state === 'ordered') {
    const contract = await deps.chain.onboard(BigInt(link.commitment), link.wallet);
    if (contract.toLowerCase() !== link.subscriberContract.toLowerCase()) {
      throw new RspError(Codes.functionExecutionError, 'the chain made another subscriber contract than the one computed for the order');
    }
    deps.store.markOnboarded(hash);
    deps.core.logger.info({ function: 'onboardSubscriber', iccid: link.iccid, subscriberContract: link.subscriberContract }, 'subscriber onboarded');
  }
  return answerOf(deps, link);
}

async function placeIdentityOrder(deps: OnboardingDeps, operator: OperatorIdentity, request: OnboardingRequest, wallet: string | undefined, hash: string): Promise<OnboardingLink> {
  // The identity's secret key: 32 random bytes, which the token carries to the eUICC (and nowhere else).
  const identitySecret = deps.core.random.bytes(32);
  const identity = createIdentity(identitySecret);
  const subscriberContract = await deps.chain.subscriberAddress(identity.commitment, wallet);
  // ES2+ DownloadOrder (§5.3.1), the identity set while the profile is not yet bound, then ConfirmOrder with
  // releaseFlag (§5.3.2): the profile is released only once it carries the identity.
  const ordered = await downloadOrder(deps.core, deps.policy, operator, {
    profileType: request.profileType,
    ...(request.eid === undefined ? {} : { eid: request.eid }),
  });
  await deps.core.repository.transaction((tx) =>
    setOrderSubscriberIdentity(tx, iccidDigits(ordered.iccid), {
      commitment: identity.commitment,
      subscriberContract,
      chainId: deps.chain.chainId,
      registry: deps.chain.registry,
      identitySecret,
    }),
  );
  identitySecret.fill(0);
  const confirmed = await confirmOrder(deps.core, deps.policy, operator, {
    iccid: ordered.iccid,
    releaseFlag: true,
    ...(request.eid === undefined ? {} : { eid: request.eid }),
    ...(request.confirmationCode === undefined ? {} : { confirmationCode: request.confirmationCode }),
  });
  const link: OnboardingLink = {
    referenceHash: hash,
    operatorId: operator.operatorId,
    commitment: identity.commitment.toString(10),
    subscriberContract,
    ...(wallet === undefined ? {} : { wallet }),
    iccid: ordered.iccid,
    matchingId: confirmed.matchingId,
    state: 'ordered',
    createdAt: deps.core.clock.now(),
    ...(request.confirmationCode === undefined ? {} : { confirmationCodeRequired: true as const }),
  };
  deps.store.insert(link);
  return link;
}

/**
 * A repeated request with a confirmation code: the same answer only when it is the code of the first onboarding
 * (a retry after a lost answer), compared by digest with what the open order keeps. Any other code would be
 * handed to the subscriber without working, so it is refused: the first code was shown once and is not kept.
 */
async function checkRepeatedCode(deps: OnboardingDeps, link: OnboardingLink, confirmationCode: string): Promise<void> {
  if (link.confirmationCodeRequired !== true) {
    throw new OnboardingRefused('confirmationCode', 'this KYC reference was onboarded without a confirmation code', 409);
  }
  const order = await deps.core.repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(link.iccid)));
  const kept = order?.confirmationCodeHash;
  if (kept === undefined || !timingSafeEqual(kept, confirmationCodeDigest(confirmationCode))) {
    throw new OnboardingRefused('confirmationCode', 'this KYC reference was onboarded with another confirmation code; it was shown once and is not kept', 409);
  }
}

function answerOf(deps: OnboardingDeps, link: OnboardingLink): OnboardingAnswer {
  const smdpAddress = deps.policy.smdpAddress;
  const confirmationCodeRequired = link.confirmationCodeRequired === true;
  return {
    subscriberContract: link.subscriberContract,
    commitment: link.commitment,
    chainId: deps.chain.chainId,
    registry: deps.chain.registry,
    ...(link.wallet === undefined ? {} : { wallet: link.wallet }),
    // SGP.22 v2.2.2 §4.1: the activation code in its QR-code form, no OID; when the order needs a confirmation
    // code, the empty OID field and the Confirmation Code Required Flag "1".
    order: {
      iccid: link.iccid, matchingId: link.matchingId, smdpAddress, confirmationCodeRequired,
      activationCode: formatActivationCode({ smdpAddress, matchingId: link.matchingId, confirmationCodeRequired }),
    },
  };
}
