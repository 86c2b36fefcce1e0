// A logged-in session on one PKCS#11 token (an HSM, or SoftHSM2 in tests) and the SM-DP+'s signing keys in
// it, found by label. Keys are EC keys on P-256 or brainpoolP256r1 (SGP.22 v2.2.2 §2.6.5): CKA_EC_PARAMS is
// the named curve's OID, CKA_EC_POINT the DER OCTET STRING of the uncompressed point (PKCS#11 v2.40 §2.3.3).
import { createHash, type KeyObject } from 'node:crypto';
import { curveNames, curveOfKey, curveOidDer, decodeUncompressedPoint, encodeUncompressedPoint, rawSignatureLength, type CurveName, type Signer } from '@zkesim/protocol';
import { Pkcs11TokenError, acquireModule, constants as C, releaseModule, returnValueOf, type Handle, type Pkcs11 } from './pkcs11Module.js';

export { Pkcs11TokenError };

export interface Pkcs11TokenOptions {
  /** Path of the PKCS#11 library (`/usr/lib/softhsm/libsofthsm2.so`). */
  module: string;
  /** CKA_LABEL of the token (`softhsm2-util --init-token --label`). */
  tokenLabel: string;
  /** The user PIN. Never logged, never part of an error message. */
  pin: string;
}

/** A private key in the token and the public key that goes with it. */
export interface TokenKey {
  label: string;
  curve: CurveName;
  publicKey: KeyObject;
  handle: Handle;
}

/** ECDSA-SHA256 in the token (CKM_ECDSA over a SHA-256 digest made here), raw r‖s as the `5F37` DOs carry it. */
class Pkcs11Signer implements Signer {
  readonly curve: CurveName;
  readonly publicKey: KeyObject;

  constructor(private readonly token: Pkcs11Token, private readonly key: TokenKey) {
    this.curve = key.curve;
    this.publicKey = key.publicKey;
  }

  sign(data: Uint8Array): Uint8Array {
    return this.token.signDigest(this.key, createHash('sha256').update(data).digest());
  }
}

export class Pkcs11Token {
  readonly #library: Pkcs11;
  readonly #session: Handle;
  readonly #module: string;
  #closed = false;

  private constructor(library: Pkcs11, session: Handle, modulePath: string) {
    this.#library = library;
    this.#session = session;
    this.#module = modulePath;
  }

  /** Loads the module, finds the token by label, opens a read/write session and logs the user in. */
  static open(options: Pkcs11TokenOptions): Pkcs11Token {
    const library = acquireModule(options.module);
    let session: Handle | undefined;
    try {
      const slot = findSlot(library, options.tokenLabel);
      session = library.C_OpenSession(slot, C.CKF_SERIAL_SESSION | C.CKF_RW_SESSION);
      login(library, session, options.tokenLabel, options.pin);
      return new Pkcs11Token(library, session, options.module);
    } catch (error) {
      if (session !== undefined) library.C_CloseSession(session);
      releaseModule(options.module);
      throw error;
    }
  }

  /** The private key labelled `label`; a clear error when there is none, or more than one. */
  findKey(label: string): TokenKey {
    const privateKeys = this.#find([{ type: C.CKA_CLASS, value: C.CKO_PRIVATE_KEY }, { type: C.CKA_LABEL, value: label }]);
    if (privateKeys.length !== 1) {
      const found = privateKeys.length === 0 ? 'no private key' : `${privateKeys.length} private keys`;
      throw new Pkcs11TokenError(`the token has ${found} labelled "${label}": expected exactly one`);
    }
    const publicKeys = this.#find([{ type: C.CKA_CLASS, value: C.CKO_PUBLIC_KEY }, { type: C.CKA_LABEL, value: label }]);
    const publicHandle = publicKeys[0];
    if (publicKeys.length !== 1 || publicHandle === undefined) {
      throw new Pkcs11TokenError(`the token has no single public key labelled "${label}" beside its private key (needed for the certificate check)`);
    }
    const [params, point] = this.#library.C_GetAttributeValue(this.#session, publicHandle, [{ type: C.CKA_EC_PARAMS }, { type: C.CKA_EC_POINT }]);
    const curve = curveOfParams(params?.value, label);
    return { label, curve, publicKey: decodeUncompressedPoint(curve, unwrapPoint(point?.value, label)), handle: privateKeys[0] as Handle };
  }

  /** A Signer for the private key labelled `label`. */
  signer(label: string): Signer {
    return new Pkcs11Signer(this, this.findKey(label));
  }

  /** CKM_ECDSA (PKCS#11 v2.40 §2.3.6): signs a digest; the output is r‖s, each as long as the curve's order. */
  signDigest(key: TokenKey, digest: Uint8Array): Uint8Array {
    this.#assertOpen();
    try {
      this.#library.C_SignInit(this.#session, { mechanism: C.CKM_ECDSA }, key.handle);
      const signature = this.#library.C_Sign(this.#session, Buffer.from(digest), Buffer.alloc(rawSignatureLength));
      if (signature.length !== rawSignatureLength) throw new Pkcs11TokenError(`CKM_ECDSA with "${key.label}" returned ${signature.length} bytes, expected ${rawSignatureLength}`);
      return new Uint8Array(signature);
    } catch (error) {
      if (error instanceof Pkcs11TokenError) throw error;
      throw new Pkcs11TokenError(`signing with "${key.label}" in the token failed: ${(error as Error).message}`, { cause: error, returnValue: returnValueOf(error) });
    }
  }

  /**
   * Stores an existing key pair in the token under `label` (a migration of file keys): the private key
   * sensitive and not extractable, so from here on it signs only inside the token.
   */
  importKeyPair(label: string, id: Uint8Array, privateKey: KeyObject, publicKey: KeyObject): void {
    this.#refuseExisting(label);
    const curve = curveOfKey(publicKey);
    const d = privateScalar(privateKey);
    const common = [{ type: C.CKA_TOKEN, value: true }, { type: C.CKA_LABEL, value: label }, { type: C.CKA_ID, value: Buffer.from(id) }, { type: C.CKA_KEY_TYPE, value: C.CKK_EC }, { type: C.CKA_EC_PARAMS, value: Buffer.from(curveOidDer[curve]) }];
    this.#library.C_CreateObject(this.#session, [...common, { type: C.CKA_CLASS, value: C.CKO_PUBLIC_KEY }, { type: C.CKA_VERIFY, value: true }, { type: C.CKA_EC_POINT, value: wrapPoint(encodeUncompressedPoint(publicKey)) }]);
    this.#library.C_CreateObject(this.#session, [
      ...common, { type: C.CKA_CLASS, value: C.CKO_PRIVATE_KEY }, { type: C.CKA_PRIVATE, value: true }, { type: C.CKA_SIGN, value: true },
      { type: C.CKA_SENSITIVE, value: true }, { type: C.CKA_EXTRACTABLE, value: false }, { type: C.CKA_VALUE, value: d },
    ]);
  }

  /** Generates a key pair inside the token (CKM_EC_KEY_PAIR_GEN); the private key never exists outside it. */
  generateKeyPair(label: string, id: Uint8Array, curve: CurveName): TokenKey {
    this.#refuseExisting(label);
    const common = [{ type: C.CKA_TOKEN, value: true }, { type: C.CKA_LABEL, value: label }, { type: C.CKA_ID, value: Buffer.from(id) }];
    this.#library.C_GenerateKeyPair(
      this.#session,
      { mechanism: C.CKM_EC_KEY_PAIR_GEN },
      [...common, { type: C.CKA_VERIFY, value: true }, { type: C.CKA_EC_PARAMS, value: Buffer.from(curveOidDer[curve]) }],
      [...common, { type: C.CKA_PRIVATE, value: true }, { type: C.CKA_SIGN, value: true }, { type: C.CKA_SENSITIVE, value: true }, { type: C.CKA_EXTRACTABLE, value: false }],
    );
    return this.findKey(label);
  }

  /** Ends the session; the library is finalised when no other token of this process uses it. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#library.C_CloseSession(this.#session);
    } finally {
      releaseModule(this.#module);
    }
  }

  #refuseExisting(label: string): void {
    if (this.#find([{ type: C.CKA_LABEL, value: label }]).length > 0) throw new Pkcs11TokenError(`the token already holds objects labelled "${label}": refusing to add another`);
  }

  #find(template: { type: number; value: number | string }[]): Handle[] {
    this.#assertOpen();
    this.#library.C_FindObjectsInit(this.#session, template);
    try {
      return this.#library.C_FindObjects(this.#session, 16);
    } finally {
      this.#library.C_FindObjectsFinal(this.#session);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Pkcs11TokenError('the PKCS#11 session is closed');
  }
}

function findSlot(library: Pkcs11, tokenLabel: string): Handle {
  const labels: string[] = [];
  for (const slot of library.C_GetSlotList(true)) {
    // Token labels are 32 bytes padded with blanks (PKCS#11 v2.40 §3.2 CK_TOKEN_INFO).
    const label = library.C_GetTokenInfo(slot).label.trimEnd();
    if (label === tokenLabel) return slot;
    if (label !== '') labels.push(label);
  }
  throw new Pkcs11TokenError(`no PKCS#11 token labelled "${tokenLabel}" (tokens present: ${labels.length === 0 ? 'none' : labels.map((l) => `"${l}"`).join(', ')})`);
}

function login(library: Pkcs11, session: Handle, tokenLabel: string, pin: string): void {
  try {
    library.C_Login(session, C.CKU_USER, pin);
  } catch (error) {
    const returnValue = returnValueOf(error);
    // Another session of this process logged in already (PKCS#11 v2.40 §5.6: login is per application and
    // token), so the module does not check this PIN; the process holds the token's access either way.
    if (returnValue === 'CKR_USER_ALREADY_LOGGED_IN') return;
    const why = returnValue === 'CKR_PIN_INCORRECT' ? 'wrong PIN' : returnValue === 'CKR_PIN_LOCKED' ? 'the PIN is locked' : returnValue === 'CKR_PIN_LEN_RANGE' ? 'the PIN has a wrong length' : (error as Error).message;
    throw new Pkcs11TokenError(`login to PKCS#11 token "${tokenLabel}" failed: ${why}${returnValue === undefined ? '' : ` (${returnValue})`}`, { cause: error, returnValue });
  }
}

function curveOfParams(params: Buffer | undefined, label: string): CurveName {
  const curve = curveNames.find((name) => params !== undefined && Buffer.from(curveOidDer[name]).equals(params));
  if (curve === undefined) throw new Pkcs11TokenError(`key "${label}" is not on P-256 or brainpoolP256r1 (CKA_EC_PARAMS ${params?.toString('hex') ?? 'missing'})`);
  return curve;
}

/**
 * The private scalar d (CKA_VALUE, PKCS#11 v2.40 §2.3.4) from the SEC1 ECPrivateKey DER (RFC 5915 §3:
 * SEQUENCE { version 1, privateKey OCTET STRING (32 bytes on these curves), ... }); JWK has no brainpool.
 */
function privateScalar(privateKey: KeyObject): Buffer {
  const sec1 = privateKey.export({ format: 'der', type: 'sec1' });
  const header = [0x02, 0x01, 0x01, 0x04, 0x20];
  if (sec1[0] !== 0x30 || (sec1[1] ?? 0x80) >= 0x80 || !header.every((byte, i) => sec1[2 + i] === byte)) {
    throw new Pkcs11TokenError('importKeyPair: not a 256-bit EC private key');
  }
  return sec1.subarray(7, 7 + 32);
}

/** CKA_EC_POINT as PKCS#11 v2.40 defines it: DER OCTET STRING of the 65-byte uncompressed point. */
function wrapPoint(point: Uint8Array): Buffer {
  return Buffer.from([0x04, point.length, ...point]);
}

/** The uncompressed point from CKA_EC_POINT; some modules return it without the OCTET STRING wrapper. */
function unwrapPoint(value: Buffer | undefined, label: string): Uint8Array {
  if (value?.length === 67 && value[0] === 0x04 && value[1] === 65) return new Uint8Array(value.subarray(2));
  if (value?.length === 65 && value[0] === 0x04) return new Uint8Array(value);
  throw new Pkcs11TokenError(`public key "${label}": CKA_EC_POINT is not an uncompressed 256-bit point`);
}
