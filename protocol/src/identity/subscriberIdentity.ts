// The subscriber identity token of the ZK identity layer: what the SM-DP+ puts into a profile as a SAIP
// PE-NonStandard element and what the eUICC hands back through the vendor ES10 extension. The structures are
// our own ASN.1 module (protocol/asn1/ZkesimIdentity.asn); this file holds the facts the three roles share:
// the issuer OID, the extension's tag, validation of the values and their display form.
import { Asn1Error } from '../asn1/runtime/errors.js';
import { SubscriberIdentityToken, type SubscriberIdentityPublic } from '../asn1/generated/zkesim/index.js';
import { id_zkesim_subscriberIdentity } from '../asn1/generated/zkesim/oids.js';
import { fromHex, HexFormatError, toHex } from '../bytes.js';

/** PE-NonStandard issuerID (SAIP v3.3.1 PE-NonStandard) of the element carrying a SubscriberIdentityToken. */
export const SUBSCRIBER_IDENTITY_ISSUER_ID = id_zkesim_subscriberIdentity;

/**
 * First tag of the vendor ES10 command GetSubscriberIdentityRequest ([PRIVATE 26], 'FA'): a PRIVATE-class
 * tag, outside the context-specific 'BF..' tags SGP.22 v2.2.2 §5.7 gives its ES10 functions, and not 'FF'
 * (ISO/IEC 7816-4 §5.2 does not allow 'FF' as the first byte of a tag).
 */
export const GET_SUBSCRIBER_IDENTITY_TAG = 0xfa;

/** The only SubscriberIdentityPublic.version this code writes and reads. */
export const SUBSCRIBER_IDENTITY_VERSION = 1;

/**
 * Order of the BN254 scalar field: a Semaphore v4 identity commitment is an element of it (a Poseidon hash),
 * so a 32-byte value at or above it cannot be a commitment.
 */
const SNARK_SCALAR_FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export class SubscriberIdentityInvalid extends Error {
  override readonly name = 'SubscriberIdentityInvalid';
}

/** The identity as a caller (the onboarding, a test) gives it: Ethereum-style hex addresses and a bigint commitment. */
export interface SubscriberIdentityInput {
  readonly commitment: bigint;
  readonly subscriberContract: string;
  readonly chainId: number;
  readonly registry: string;
  /** The Semaphore v4 identity's private key, 32 bytes. SECRET. */
  readonly identitySecret: Uint8Array;
}

/** The public part in display form: the commitment in decimal (as Semaphore prints it), addresses as 0x hex. */
export interface SubscriberIdentityView {
  readonly version: number;
  readonly commitment: string;
  readonly subscriberContract: string;
  readonly chainId: number;
  readonly registry: string;
}

/** The DER of a SubscriberIdentityToken for `input`, after checking every value. */
export function encodeSubscriberIdentityToken(input: SubscriberIdentityInput): Uint8Array {
  if (input.commitment <= 0n || input.commitment >= SNARK_SCALAR_FIELD) throw new SubscriberIdentityInvalid('commitment is not an element of the BN254 scalar field');
  if (!Number.isSafeInteger(input.chainId) || input.chainId < 1) throw new SubscriberIdentityInvalid('chainId must be a positive integer');
  if (input.identitySecret.length !== 32) throw new SubscriberIdentityInvalid('identitySecret must be 32 bytes');
  return SubscriberIdentityToken.encode({
    identity: {
      version: SUBSCRIBER_IDENTITY_VERSION,
      commitment: fromHex(input.commitment.toString(16).padStart(64, '0')),
      subscriberContract: address(input.subscriberContract, 'subscriberContract'),
      chainId: input.chainId,
      registry: address(input.registry, 'registry'),
    },
    identitySecret: input.identitySecret,
  });
}

/** Decodes a PE-NonStandard content as a SubscriberIdentityToken; anything else is SubscriberIdentityInvalid. */
export function decodeSubscriberIdentityToken(content: Uint8Array): SubscriberIdentityToken {
  let token: SubscriberIdentityToken;
  try {
    token = SubscriberIdentityToken.decode(content, { maxLength: 1024, maxDepth: 4 });
  } catch (error) {
    if (error instanceof Asn1Error) throw new SubscriberIdentityInvalid(`not a SubscriberIdentityToken: ${error.message}`, { cause: error });
    throw error;
  }
  if (token.identity.version !== SUBSCRIBER_IDENTITY_VERSION) throw new SubscriberIdentityInvalid(`SubscriberIdentityToken version ${token.identity.version} not supported`);
  return token;
}

export function viewSubscriberIdentity(identity: SubscriberIdentityPublic): SubscriberIdentityView {
  return {
    version: identity.version,
    commitment: BigInt(`0x${toHex(identity.commitment)}`).toString(10),
    subscriberContract: `0x${toHex(identity.subscriberContract)}`,
    chainId: identity.chainId,
    registry: `0x${toHex(identity.registry)}`,
  };
}

function address(text: string, field: string): Uint8Array {
  const hex = text.replace(/^0x/i, '');
  try {
    const bytes = fromHex(hex, field);
    if (bytes.length === 20) return bytes;
  } catch (error) {
    if (!(error instanceof HexFormatError)) throw error;
  }
  throw new SubscriberIdentityInvalid(`${field} must be a 20-byte address in hex`);
}
