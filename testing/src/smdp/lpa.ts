// The LPA side of one download for tests: ES10 to the software eUICC, ES9+ JSON over real HTTPS to the
// SM-DP+. Each step is its own method so that negative tests can stop, repeat or tamper at any point.
import {
  AuthenticateServerRequest, BoundProfilePackage, BppCommandId, BspSession, Certificate, ErrorReason, Es10Channel, GetEuiccChallengeResponse,
  InitialiseSecureChannelRequest, NotificationEvent, PrepareDownloadRequest, ProfileInstallationResult, ProfileInstallationResultData,
  ServerSigned1, SmdpSigned2, bitStringFromNames, eckaSharedSecret, encodeTlv, hashConfirmationCode, readTlv, signRaw, unprotectSegments,
  type EckaKeyPair,
} from '@zkesim/protocol';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { post, type PostResult } from './https.js';
import { sgp26Card, sgp26Eid, type RecordingCard } from './sgp26Card.js';
import { sgp26, smdpHost } from './testPki.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (text: unknown): Uint8Array => new Uint8Array(Buffer.from(String(text), 'base64'));

export interface DeviceInfoOptions {
  tac?: Uint8Array;
  imei?: Uint8Array;
}

export class TestLpa {
  transactionId = '';
  euiccChallenge: Uint8Array = new Uint8Array();
  initiateResponse: Record<string, unknown> = {};
  authenticateServerResponse: Uint8Array = new Uint8Array();
  authenticateClientResponse: Record<string, unknown> = {};
  prepareDownloadResponse: Uint8Array = new Uint8Array();
  boundProfilePackage: Uint8Array = new Uint8Array();
  /** Connect with the TLS settings of a brainpoolP256r1 DPtls endpoint. */
  brainpoolTls = false;

  private constructor(
    readonly es9Url: string,
    readonly ca: string,
    readonly recording: RecordingCard,
    readonly es10: Es10Channel,
  ) {}

  static async create(es9Url: string, ca: string, curve: 'nist' | 'brp' = 'nist'): Promise<TestLpa> {
    const recording = sgp26Card(curve);
    return new TestLpa(es9Url, ca, recording, await Es10Channel.open(recording.card));
  }

  es9(fn: string, body: Record<string, unknown> | string): Promise<PostResult> {
    return post(`${this.es9Url}/gsma/rsp2/es9plus/${fn}`, typeof body === 'string' ? body : JSON.stringify(body), {
      ca: this.ca,
      brainpool: this.brainpoolTls,
      headers: { 'User-Agent': 'gsma-rsp-lpad' },
    });
  }

  async initiateAuthentication(smdpAddress = smdpHost): Promise<PostResult> {
    this.euiccChallenge = GetEuiccChallengeResponse.decode(await this.es10.send(Uint8Array.of(0xbf, 0x2e, 0x00))).euiccChallenge;
    const euiccInfo1 = await this.es10.send(Uint8Array.of(0xbf, 0x20, 0x00));
    const result = await this.es9('initiateAuthentication', { euiccChallenge: b64(this.euiccChallenge), euiccInfo1: b64(euiccInfo1), smdpAddress });
    this.initiateResponse = result.json();
    this.transactionId = String(this.initiateResponse.transactionId ?? '');
    return result;
  }

  /** ES10b.AuthenticateServer on the card with the SM-DP+'s answer (§5.7.13). */
  async authenticateServer(matchingId: string | undefined, device: DeviceInfoOptions = {}): Promise<Uint8Array> {
    const r = this.initiateResponse;
    const request = AuthenticateServerRequest.encode({
      serverSigned1: ServerSigned1.decode(unb64(r.serverSigned1)),
      serverSignature1: readTlv(unb64(r.serverSignature1)).value,
      euiccCiPKIdToBeUsed: readTlv(unb64(r.euiccCiPKIdToBeUsed)).value,
      serverCertificate: Certificate.decode(unb64(r.serverCertificate)),
      ctxParams1: {
        ctxParamsForCommonAuthentication: {
          ...(matchingId === undefined ? {} : { matchingId }),
          deviceInfo: {
            tac: device.tac ?? Uint8Array.of(0x35, 0x29, 0x06, 0x11),
            deviceCapabilities: { eutranSupportedRelease: Uint8Array.of(15, 0, 0) },
            ...(device.imei === undefined ? {} : { imei: device.imei }),
          },
        },
      },
    });
    this.authenticateServerResponse = await this.es10.send(request);
    return this.authenticateServerResponse;
  }

  async authenticateClient(authenticateServerResponse = this.authenticateServerResponse, transactionId = this.transactionId): Promise<PostResult> {
    const result = await this.es9('authenticateClient', { transactionId, authenticateServerResponse: b64(authenticateServerResponse) });
    this.authenticateClientResponse = result.json();
    return result;
  }

  /** ES10b.PrepareDownload (§5.7.5), with hashCc when a confirmation code is given. */
  async prepareDownload(confirmationCode?: string): Promise<Uint8Array> {
    const r = this.authenticateClientResponse;
    const smdpSigned2 = SmdpSigned2.decode(unb64(r.smdpSigned2));
    const request = PrepareDownloadRequest.encode({
      smdpSigned2,
      smdpSignature2: readTlv(unb64(r.smdpSignature2)).value,
      ...(confirmationCode === undefined ? {} : { hashCc: hashConfirmationCode(confirmationCode, smdpSigned2.transactionId) }),
      smdpCertificate: Certificate.decode(unb64(r.smdpCertificate)),
    });
    this.prepareDownloadResponse = await this.es10.send(request);
    return this.prepareDownloadResponse;
  }

  async getBoundProfilePackage(prepareDownloadResponse = this.prepareDownloadResponse): Promise<PostResult> {
    const result = await this.es9('getBoundProfilePackage', { transactionId: this.transactionId, prepareDownloadResponse: b64(prepareDownloadResponse) });
    const body = result.json();
    if (typeof body.boundProfilePackage === 'string') this.boundProfilePackage = unb64(body.boundProfilePackage);
    return result;
  }

  /**
   * Opens the BPP as the eUICC would (ECKA with the card's recorded one-time key, KDF, MAC chain,
   * decryption) and returns the StoreMetadata and UPP plaintext.
   */
  openBoundProfilePackage(): { storeMetadata: Uint8Array; upp: Uint8Array; smdpOtpk: Uint8Array } {
    const bpp = BoundProfilePackage.decode(this.boundProfilePackage);
    const oneTime = this.recording.oneTimeKeys.at(-1) as EckaKeyPair;
    const smdpOtpk = bpp.initialiseSecureChannelRequest.smdpOtpk;
    const session = BspSession.derive({
      sharedSecret: eckaSharedSecret(oneTime.privateKey, smdpOtpk),
      hostId: bpp.initialiseSecureChannelRequest.controlRefTemplate.hostId,
      eid: Uint8Array.from(Buffer.from(sgp26Eid, 'hex')),
    });
    const tlvs = (tag: number, values: Uint8Array[]) => values.map((value) => encodeTlv(tag, value));
    unprotectSegments(session, tlvs(0x87, bpp.firstSequenceOf87), 0x87);
    const storeMetadata = unprotectSegments(session, tlvs(0x88, bpp.sequenceOf88), 0x88);
    const upp = unprotectSegments(session, tlvs(0x86, bpp.sequenceOf86), 0x86);
    return { storeMetadata, upp, smdpOtpk };
  }

  /** The Profile Installation Result the eUICC would send, signed with the SGP.26 eUICC key (§5.7.x, BF37). */
  installationResult(success: boolean, iccid: Uint8Array, smdpOid = '2.999.10'): Uint8Array {
    const data = ProfileInstallationResultData.encode({
      transactionId: new Uint8Array(Buffer.from(this.transactionId, 'hex')),
      notificationMetadata: {
        seqNumber: 1n,
        profileManagementOperation: bitStringFromNames(NotificationEvent, ['notificationInstall']),
        notificationAddress: smdpHost,
        iccid,
      },
      smdpOid,
      finalResult: success
        ? { successResult: { aid: Uint8Array.from(Buffer.from('A0000005591010FFFFFFFF8900001000', 'hex')), simaResponse: Uint8Array.of(0x30, 0x07, 0xa0, 0x05, 0x30, 0x03, 0x80, 0x01, 0x00) } }
        : { errorResult: { bppCommandId: BppCommandId.named.loadProfileElements, errorReason: ErrorReason.named.installFailedDueToPEProcessingError } },
    });
    const key = createPrivateKey(readFileSync(sgp26('eUICC/SK_EUICC_ECDSA_NIST.pem')));
    const decoded = ProfileInstallationResultData.decode(data);
    return ProfileInstallationResult.encode({ profileInstallationResultData: decoded, euiccSignPIR: signRaw(key, data) });
  }

  handleNotification(pendingNotification: Uint8Array): Promise<PostResult> {
    return this.es9('handleNotification', { pendingNotification: b64(pendingNotification) });
  }

  /** The BF23 as received, for checks of smdpSign. */
  initialiseSecureChannel(): InitialiseSecureChannelRequest {
    return BoundProfilePackage.decode(this.boundProfilePackage).initialiseSecureChannelRequest;
  }
}
