// The LPA side of one download for the SM-DP+'s tests, one step per method so that a negative test can stop,
// repeat, replay or tamper at any point and see the SM-DP+'s raw HTTP answer: ES10 to an in-process
// software eUICC with lpa-core's ES10b functions and request builders, ES9+ JSON rendered with protocol's
// binding and sent over real HTTPS. A test that only needs a download to happen uses lpa-core's Lpa.
// On top of the LPA: opening the BPP as the eUICC would, and forging the eUICC's installation result.
import {
  BoundProfilePackage, BppCommandId, BspSession, ErrorReason, Es10Channel, type Es10Sender, encodeTlv, eckaSharedSecret, es9plusFunctions, parseResponse, renderRequest,
  unprotectSegments, type EckaKeyPair, type InitialiseSecureChannelRequest, type RequestOf, type RspFunction,
} from '@zkesim/protocol';
import { authenticateServerRequest, buildDeviceInfo, es10b, prepareDownloadRequest } from '@zkesim/lpa-core';
import { buildInstallationResult } from '@zkesim/euicc-sim';
import type { Agent } from 'node:http';
import { post, type PostResult } from './https.js';
import { sgp26Card, sgp26Eid, type RecordingCard } from './sgp26Card.js';
import { smdpHost } from './testPki.js';
import { es9Path } from './wire.js';

const unb64 = (text: unknown): Uint8Array => new Uint8Array(Buffer.from(String(text), 'base64'));
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** DeviceInfo fields to send instead of lpa-core's defaults, as raw bytes (malformed values included). */
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
  /** A keep-alive agent shared across downloads (connection and TLS session reuse); none: one connection per request. */
  agent: Agent | undefined;
  /** Told of each ES9+ exchange: the function, the request body's size in bytes and the answer (the load bench records what goes on the wire). */
  onExchange: ((fn: string, requestBytes: number, result: PostResult) => void) | undefined;

  private constructor(
    readonly es9Url: string,
    readonly ca: string,
    readonly recording: RecordingCard,
    readonly es10: Es10Sender,
  ) {}

  static async create(es9Url: string, ca: string, curve: 'nist' | 'brp' = 'nist'): Promise<TestLpa> {
    const recording = sgp26Card(curve);
    return new TestLpa(es9Url, ca, recording, await Es10Channel.open(recording.card));
  }

  /**
   * As create(), but ES10 goes straight to the eUICC's ISD-R (each complete ES10 command to its handler, as
   * one STORE DATA sequence would deliver it) without APDU framing: for the load generator, whose clients
   * spend their time on the eUICC's real ECDSA and ECKA, not on the emulated card interface. lpa-core's ES10
   * functions take an Es10Sender, the one method this channel has.
   */
  static direct(es9Url: string, ca: string, curve: 'nist' | 'brp' = 'nist'): TestLpa {
    const recording = sgp26Card(curve);
    const isdR = recording.card.euicc;
    const channel: Es10Sender = { send: (command: Uint8Array) => Promise.resolve(isdR.processStoreData(command)) };
    return new TestLpa(es9Url, ca, recording, channel);
  }

  /** POSTs any body (malformed ones included) to the ES9+ function `fn`. */
  async es9(fn: string, body: Record<string, unknown> | string): Promise<PostResult> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const result = await post(`${this.es9Url}${es9Path(fn)}`, text, {
      ca: this.ca,
      brainpool: this.brainpoolTls,
      headers: { 'User-Agent': 'gsma-rsp-lpad' },
      ...(this.agent === undefined ? {} : { agent: this.agent }),
    });
    this.onExchange?.(fn, Buffer.byteLength(text, 'utf8'), result);
    return result;
  }

  /** POSTs a well-formed request of `fn`, rendered by protocol's JSON binding. */
  private call<F extends RspFunction>(fn: F, request: RequestOf<F>): Promise<PostResult> {
    return this.es9(fn.name, renderRequest(fn, request));
  }

  async initiateAuthentication(smdpAddress = smdpHost): Promise<PostResult> {
    this.euiccChallenge = await es10b.getEuiccChallenge(this.es10);
    const euiccInfo1 = await es10b.getEuiccInfo1(this.es10);
    const result = await this.call(es9plusFunctions.initiateAuthentication, { euiccChallenge: this.euiccChallenge, euiccInfo1: euiccInfo1.bytes, smdpAddress });
    this.initiateResponse = result.json();
    this.transactionId = String(this.initiateResponse.transactionId ?? '');
    return result;
  }

  /** ES10b.AuthenticateServer on the card with the SM-DP+'s answer (§5.7.13), as lpa-core builds it. */
  async authenticateServer(matchingId: string | undefined, device: DeviceInfoOptions = {}): Promise<Uint8Array> {
    const initiated = parseResponse(es9plusFunctions.initiateAuthentication, this.initiateResponse);
    const request = authenticateServerRequest(initiated, matchingId, { ...buildDeviceInfo(), ...device });
    this.authenticateServerResponse = (await es10b.authenticateServer(this.es10, request)).bytes;
    return this.authenticateServerResponse;
  }

  async authenticateClient(authenticateServerResponse = this.authenticateServerResponse, transactionId = this.transactionId): Promise<PostResult> {
    const result = await this.call(es9plusFunctions.authenticateClient, { transactionId: fromHex(transactionId), authenticateServerResponse });
    this.authenticateClientResponse = result.json();
    return result;
  }

  /** ES10b.PrepareDownload (§5.7.5) as lpa-core builds it, with hashCc when a confirmation code is given. */
  async prepareDownload(confirmationCode?: string): Promise<Uint8Array> {
    const authenticated = parseResponse(es9plusFunctions.authenticateClient, this.authenticateClientResponse);
    this.prepareDownloadResponse = (await es10b.prepareDownload(this.es10, prepareDownloadRequest(authenticated, confirmationCode))).bytes;
    return this.prepareDownloadResponse;
  }

  async getBoundProfilePackage(prepareDownloadResponse = this.prepareDownloadResponse): Promise<PostResult> {
    const result = await this.call(es9plusFunctions.getBoundProfilePackage, { transactionId: fromHex(this.transactionId), prepareDownloadResponse });
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
      eid: fromHex(sgp26Eid),
    });
    const tlvs = (tag: number, values: Uint8Array[]) => values.map((value) => encodeTlv(tag, value));
    unprotectSegments(session, tlvs(0x87, bpp.firstSequenceOf87), 0x87);
    const storeMetadata = unprotectSegments(session, tlvs(0x88, bpp.sequenceOf88), 0x88);
    const upp = unprotectSegments(session, tlvs(0x86, bpp.sequenceOf86), 0x86);
    return { storeMetadata, upp, smdpOtpk };
  }

  /**
   * The Profile Installation Result (BF37, §5.7.6) the card would send for this transaction, built and
   * signed by euicc-sim's code with the card's SGP.26 credential, without loading the BPP: success with
   * an ISD-P AID, or a failed loadProfileElements.
   */
  installationResult(success: boolean, iccid: Uint8Array, smdpOid = '2.999.10'): Uint8Array {
    const credential = this.recording.card.state.credentials[0];
    if (credential === undefined) throw new Error('the test card has no credential');
    return buildInstallationResult({
      transactionId: fromHex(this.transactionId),
      seqNumber: 1,
      notificationAddress: smdpHost,
      iccid,
      smdpOid,
      result: success
        ? { kind: 'success', isdpAid: fromHex('A0000005591010FFFFFFFF8900001000') }
        : { kind: 'error', bppCommandId: BppCommandId.named.loadProfileElements, errorReason: ErrorReason.named.installFailedDueToPEProcessingError },
      credential,
    }).der;
  }

  handleNotification(pendingNotification: Uint8Array): Promise<PostResult> {
    return this.call(es9plusFunctions.handleNotification, { pendingNotification });
  }

  /** The BF23 as received, for checks of smdpSign. */
  initialiseSecureChannel(): InitialiseSecureChannelRequest {
    return BoundProfilePackage.decode(this.boundProfilePackage).initialiseSecureChannelRequest;
  }
}
