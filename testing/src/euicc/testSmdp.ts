// The SM-DP+ side of a download, built directly from the codecs, the protocol crypto and the SGP.26 DPauth /
// DPpb keys, so the eUICC can be tested without the sm-dp-plus package (test material only).
import { randomBytes } from 'node:crypto';
import {
  AuthenticateServerRequest,
  AuthenticateServerResponse,
  BoundProfilePackage,
  BspSession,
  Certificate,
  ConfigureISDPRequest,
  InitialiseSecureChannelRequest,
  PrepareDownloadRequest,
  PrepareDownloadResponse,
  ProfileElement,
  RemoteOpId,
  ReplaceSessionKeysRequest,
  ServerSigned1,
  SmdpSigned2,
  StoreMetadataRequest,
  derOf,
  eckaSharedSecret,
  encodeTlvHeader,
  generateEckaKeyPair,
  hashConfirmationCode,
  protectProfileElements,
  protectStoreMetadata,
  readTlv,
  signRaw,
  smdpSignTbs,
  smdpSignature2Tbs,
  splitTlvs,
  type AuthenticateServerRequest as AuthenticateServerRequestValue,
  type EUICCSigned2,
  type InitialiseSecureChannelRequest as InitialiseSecureChannelRequestValue,
} from '@zkesim/protocol';
import { loadSgp26Pki, type Sgp26Pki } from '@zkesim/pki';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CI_PKID_BRP, CI_PKID_NIST, hex, SGP26_DIR } from './sgp26Euicc.js';

export const SMDP_ADDRESS = 'testsmdpplus1.example.com';
export const UPP_DIR = fileURLToPath(new URL('../../../../shared/spec/upp/', import.meta.url));

export interface Profile {
  readonly upp: Uint8Array;
  readonly iccid: Uint8Array;
}

/** A TS.48 test profile (unprotected SAIP DER) with its ICCID from the ProfileHeader. */
export function ts48Profile(name = 'TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der'): Profile {
  const upp = Uint8Array.from(readFileSync(UPP_DIR + name));
  const header = ProfileElement.decode(readTlv(upp).tlv);
  if (!('header' in header)) throw new Error('UPP does not start with a ProfileHeader');
  return { upp, iccid: header.header.iccid };
}

export interface BppOptions {
  readonly metadata?: Partial<StoreMetadataRequest>;
  readonly replaceSessionKeys?: boolean;
  readonly dpOid?: string;
}

export class TestSmdp {
  readonly pki: Sgp26Pki;
  readonly ciPKId: Uint8Array;
  transactionId: Uint8Array = new Uint8Array(0);
  private euiccSignature1: Uint8Array = new Uint8Array(0);

  constructor(readonly curve: 'nist' | 'brp' = 'nist') {
    this.pki = loadSgp26Pki(SGP26_DIR, curve);
    this.ciPKId = curve === 'nist' ? CI_PKID_NIST : CI_PKID_BRP;
  }

  /** ES9+.InitiateAuthentication, answered as the AuthenticateServerRequest the LPA builds from it. */
  initiateAuthentication(euiccChallenge: Uint8Array, changes: Partial<AuthenticateServerRequestValue> = {}, matchingId = 'MATCHING-ID-1'): Uint8Array {
    this.transactionId = Uint8Array.from(randomBytes(16));
    const serverSigned1 = ServerSigned1.decode(
      ServerSigned1.encode({ transactionId: this.transactionId, euiccChallenge, serverAddress: SMDP_ADDRESS, serverChallenge: Uint8Array.from(randomBytes(16)) }),
    );
    const request: AuthenticateServerRequestValue = {
      serverSigned1,
      serverSignature1: signRaw(this.pki.dpauth.privateKey, derOf(serverSigned1)),
      euiccCiPKIdToBeUsed: this.ciPKId,
      serverCertificate: Certificate.decode(this.pki.dpauth.certificate.der),
      ctxParams1: { ctxParamsForCommonAuthentication: { matchingId, deviceInfo: { tac: hex('35330119'), deviceCapabilities: {} } } },
      ...changes,
    };
    return AuthenticateServerRequest.encode(request);
  }

  /** ES9+.AuthenticateClient, answered as the PrepareDownloadRequest the LPA builds from it. */
  authenticateClient(authenticateServerResponse: Uint8Array, options: { confirmationCode?: string; ccRequired?: boolean; certificate?: Uint8Array } = {}): Uint8Array {
    const response = AuthenticateServerResponse.decode(authenticateServerResponse);
    if (!('authenticateResponseOk' in response)) throw new Error('AuthenticateServer failed');
    this.euiccSignature1 = response.authenticateResponseOk.euiccSignature1;
    const ccRequiredFlag = options.ccRequired ?? options.confirmationCode !== undefined;
    const smdpSigned2 = SmdpSigned2.decode(SmdpSigned2.encode({ transactionId: this.transactionId, ccRequiredFlag }));
    const smdpSignature2 = signRaw(this.pki.dppb.privateKey, smdpSignature2Tbs(derOf(smdpSigned2), this.euiccSignature1));
    const hashCc = options.confirmationCode === undefined ? undefined : hashConfirmationCode(options.confirmationCode, this.transactionId);
    return PrepareDownloadRequest.encode({
      smdpSigned2,
      smdpSignature2,
      ...(hashCc === undefined ? {} : { hashCc }),
      smdpCertificate: Certificate.decode(options.certificate ?? this.pki.dppb.certificate.der),
    });
  }

  /** ES9+.GetBoundProfilePackage: binds `profile` to the eUICC's one-time key; returns the BPP DER. */
  boundProfilePackage(prepareDownloadResponse: Uint8Array, eid: Uint8Array, profile: Profile, options: BppOptions = {}): Uint8Array {
    const response = PrepareDownloadResponse.decode(prepareDownloadResponse);
    if (!('downloadResponseOk' in response)) throw new Error('PrepareDownload failed');
    const euiccSigned2: EUICCSigned2 = response.downloadResponseOk.euiccSigned2;
    const otDp = generateEckaKeyPair(this.curve === 'nist' ? 'P-256' : 'brainpoolP256r1');
    const hostId = hex('8080808080808080');
    const session = BspSession.derive({ sharedSecret: eckaSharedSecret(otDp.privateKey, euiccSigned2.euiccOtpk), hostId, eid });
    const initialiseSecureChannelRequest = this.initialiseSecureChannel(otDp.publicPoint, hostId, euiccSigned2.euiccOtpk);
    const configureIsdp = ConfigureISDPRequest.encode(options.dpOid === undefined ? {} : { dpProprietaryData: { dpOid: options.dpOid } });
    const firstSequenceOf87 = [readTlv(session.protectEncrypted(0x87, configureIsdp)).value];
    const metadata = StoreMetadataRequest.encode({ iccid: profile.iccid, serviceProviderName: 'zkesim test operator', profileName: 'TS.48 test profile', ...options.metadata });
    const sequenceOf88 = protectStoreMetadata(session, metadata).map((segment) => readTlv(segment).value);
    let secondSequenceOf87: Uint8Array[] | undefined;
    if (options.replaceSessionKeys === true) {
      const keys = { initialMacChainingValue: Uint8Array.from(randomBytes(16)), ppkEnc: Uint8Array.from(randomBytes(16)), ppkCmac: Uint8Array.from(randomBytes(16)) };
      secondSequenceOf87 = [readTlv(session.protectEncrypted(0x87, ReplaceSessionKeysRequest.encode(keys))).value];
      session.replaceSessionKeys(keys.ppkEnc, keys.ppkCmac, keys.initialMacChainingValue);
    }
    const sequenceOf86 = protectProfileElements(session, profile.upp).map((segment) => readTlv(segment).value);
    return BoundProfilePackage.encode({
      initialiseSecureChannelRequest,
      firstSequenceOf87,
      sequenceOf88,
      ...(secondSequenceOf87 === undefined ? {} : { secondSequenceOf87 }),
      sequenceOf86,
    });
  }

  /** BF23 with smdpSign over its content up to smdpSign followed by 5F49 otPK.EUICC (SGP.22 §5.5.1). */
  private initialiseSecureChannel(otPkDp: Uint8Array, hostId: Uint8Array, otPkEuicc: Uint8Array): InitialiseSecureChannelRequestValue {
    const unsigned: InitialiseSecureChannelRequestValue = {
      remoteOpId: RemoteOpId.named.installBoundProfilePackage,
      transactionId: this.transactionId,
      controlRefTemplate: { keyType: Uint8Array.of(0x88), keyLen: Uint8Array.of(0x10), hostId },
      smdpOtpk: otPkDp,
      smdpSign: new Uint8Array(64),
    };
    const children = splitTlvs(readTlv(InitialiseSecureChannelRequest.encode(unsigned)).value);
    const signedPart = Uint8Array.from(children.slice(0, -1).flatMap((tlv) => [...tlv.tlv]));
    return { ...unsigned, smdpSign: signRaw(this.pki.dppb.privateKey, smdpSignTbs(signedPart, otPkEuicc)) };
  }
}

/** Cuts a BPP into the pieces the LPA sends, each as its own STORE DATA sequence (SGP.22 §2.5.5). */
export function bppPieces(bpp: Uint8Array): Uint8Array[] {
  const outer = readTlv(bpp);
  const [bf23, ...rest] = splitTlvs(outer.value);
  if (bf23 === undefined) throw new Error('empty BPP');
  const pieces: Uint8Array[] = [Uint8Array.from([...encodeTlvHeader(0xbf36, outer.length), ...bf23.tlv])];
  for (const child of rest) {
    if (child.tag === 0xa0 || child.tag === 0xa2) {
      pieces.push(child.tlv);
    } else {
      pieces.push(encodeTlvHeader(child.tag, child.length));
      for (const segment of splitTlvs(child.value)) pieces.push(segment.tlv);
    }
  }
  return pieces;
}
