// The SM-DP+ side of a download for the eUICC's tests: ES9+ answers signed with the SGP.26 DPauth / DPpb keys
// and handed to the card as the ES10b requests an LPA builds from them, each with knobs for the negative
// tests (a changed serverSigned1, another certificate, another transactionId, a confirmation code). The
// Bound Profile Packages come from this peer's own assembly (testBpp.ts, a test oracle written apart from
// sm-dp-plus's ES8+ builder), so the card is not tested against the code that writes the SM-DP+'s packages;
// the SM-DP+'s builder is used only when a test asks for it to compare both. The card's tests cut the
// packages with protocol's bppPieces and tamper with the pieces themselves.
import { randomBytes } from 'node:crypto';
import {
  AuthenticateServerRequest,
  AuthenticateServerResponse,
  BspSession,
  Certificate,
  PrepareDownloadRequest,
  PrepareDownloadResponse,
  ProfileElement,
  ServerSigned1,
  SmdpSigned2,
  StoreMetadataRequest,
  derOf,
  eckaSharedSecret,
  generateEckaKeyPair,
  hashConfirmationCode,
  iccidFromProfileHeader,
  iccidToBytes,
  readTlv,
  signRaw,
  smdpSignature2Tbs,
  type AuthenticateServerRequest as AuthenticateServerRequestValue,
} from '@zkesim/protocol';
import { buildBoundProfilePackage } from '@zkesim/sm-dp-plus';
import { testBoundProfilePackage } from './testBpp.js';
import { loadSgp26Pki, type Sgp26Pki } from '@zkesim/pki';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CI_PKID_BRP, CI_PKID_NIST, hex, SGP26_DIR } from './sgp26Euicc.js';

export const SMDP_ADDRESS = 'testsmdpplus1.example.com';
export const UPP_DIR = fileURLToPath(new URL('../../../../shared/spec/upp/', import.meta.url));

export interface Profile {
  readonly upp: Uint8Array;
  /** The ICCID as SGP.22 carries it (Iccid, EF.ICCID order): what StoreMetadata and the PIR hold. */
  readonly iccid: Uint8Array;
}

/**
 * A TS.48 test profile (unprotected SAIP DER, unmodified) with its ICCID in EF.ICCID order. The package's
 * ProfileHeader holds the ICCID in plain digit order, so StoreMetadata and the header differ byte for byte
 * as they do with every SM-DP+ that serves TS.48 packages as distributed.
 */
export function ts48Profile(name = 'TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der'): Profile {
  const upp = Uint8Array.from(readFileSync(UPP_DIR + name));
  const header = ProfileElement.decode(readTlv(upp).tlv);
  if (!('header' in header)) throw new Error('UPP does not start with a ProfileHeader');
  return { upp, iccid: iccidToBytes(iccidFromProfileHeader(header.header.iccid)) };
}

/** What the BPP is built from, beyond the profile: each can make the card refuse it. */
export interface BppOptions {
  /** Fields of the StoreMetadataRequest over the defaults (e.g. an ICCID other than the profile's, PPRs). */
  readonly metadata?: Partial<StoreMetadataRequest>;
  /** Protect the profile elements with fresh profile protection keys sent in ReplaceSessionKeys. */
  readonly replaceSessionKeys?: boolean;
  /** The SM-DP+ OID for ConfigureISDP's DpProprietaryData. */
  readonly dpOid?: string;
  /** Who assembles the package: this peer's oracle (default) or the SM-DP+'s ES8+ builder, for cross-checks. */
  readonly builder?: 'test-peer' | 'sm-dp-plus';
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

  /**
   * ES9+.GetBoundProfilePackage: binds `profile` to the eUICC's one-time key with this peer's own BPP
   * assembly (or, when `options.builder` asks, the SM-DP+'s ES8+ builder) and returns the BPP DER. The options choose its inputs: metadata that
   * contradicts the profile, profile protection keys (ReplaceSessionKeys), the SM-DP+ OID for ConfigureISDP.
   */
  boundProfilePackage(prepareDownloadResponse: Uint8Array, eid: Uint8Array, profile: Profile, options: BppOptions = {}): Uint8Array {
    const response = PrepareDownloadResponse.decode(prepareDownloadResponse);
    if (!('downloadResponseOk' in response)) throw new Error('PrepareDownload failed');
    const euiccOtpk = response.downloadResponseOk.euiccSigned2.euiccOtpk;
    const otDp = generateEckaKeyPair(this.curve === 'nist' ? 'P-256' : 'brainpoolP256r1');
    const hostId = hex('8080808080808080');
    const storeMetadata = StoreMetadataRequest.encode({ iccid: profile.iccid, serviceProviderName: 'zkesim test operator', profileName: 'TS.48 test profile', ...options.metadata });
    const session = BspSession.derive({ sharedSecret: eckaSharedSecret(otDp.privateKey, euiccOtpk), hostId, eid });
    const ppk = options.replaceSessionKeys === true
      ? { initialMacChainingValue: Uint8Array.from(randomBytes(16)), ppkEnc: Uint8Array.from(randomBytes(16)), ppkCmac: Uint8Array.from(randomBytes(16)) }
      : undefined;
    const sign = (data: Uint8Array): Uint8Array => signRaw(this.pki.dppb.privateKey, data);
    const common = { transactionId: this.transactionId, hostId, smdpOtpk: otDp.publicPoint, euiccOtpk, session, storeMetadata, upp: profile.upp, ...(options.dpOid === undefined ? {} : { dpOid: options.dpOid }) };
    if (options.builder === 'sm-dp-plus') {
      return buildBoundProfilePackage({ ...common, signWithDpPb: sign, ...(ppk === undefined ? {} : { profileProtectionKeys: ppk }) });
    }
    return testBoundProfilePackage({ ...common, sign, ...(ppk === undefined ? {} : { ppk }) });
  }
}
