// Property test: mutated and random inputs thrown at every top-level decoder give either a valid value
// (which then re-encodes) or a typed Asn1DecodeError; nothing else ever escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Asn1DecodeError, AuthenticateServerResponse, BoundProfilePackage, CancelSessionResponse, Certificate, EUICCInfo1, EUICCInfo2,
  EuiccConfiguredAddressesResponse, GetEuiccDataResponse, ListNotificationResponse, PrepareDownloadResponse, ProfileElement,
  ProfileInfoListResponse, ProfileInstallationResult, RetrieveNotificationsListResponse, readTlv, type Codec,
} from '../../src/index.js';
import { TS48_PROFILES, hex, sharedFile } from '../support.js';
import { mutate, mutations } from './mutations.js';

const RUNS = 10_000;
const euiccCertificate = Certificate.decode(sharedFile('spec/sgp26/eUICC/CERT_EUICC_ECDSA_NIST.der'));
const eumCertificate = Certificate.decode(sharedFile('spec/sgp26/EUM/CERT_EUM_ECDSA_NIST.der'));
const ci = hex('f54172bdf98a95d65cbeb88a38a1c11d800a85c3');
const bits = (text: string) => ({ bytes: hex(text), unusedBits: 0 });
const euiccInfo2 = {
  profileVersion: hex('020301'), svn: hex('020202'), euiccFirmwareVer: hex('010000'), extCardResource: hex('81010082040004fa00'),
  uiccCapability: bits('067f36c0'), rspCapability: bits('07'), euiccCiPKIdListForVerification: [ci], euiccCiPKIdListForSigning: [ci],
  ppVersion: hex('000000'), sasAcreditationNumber: 'SAS',
};
const metadata = { seqNumber: 7n, profileManagementOperation: { bytes: hex('80'), unusedBits: 7 }, notificationAddress: 'smdp.io', iccid: hex('98001032547698103214') };
const pir = {
  profileInstallationResultData: {
    transactionId: hex('0102'), notificationMetadata: metadata, smdpOid: '2.999.10',
    finalResult: { successResult: { aid: hex('a0000005591010ffffffff8900001000'), simaResponse: hex('3003020100') } },
  },
  euiccSignPIR: new Uint8Array(64).fill(1),
};

function firstProfileElements(): Uint8Array[] {
  return TS48_PROFILES.flatMap((file) => {
    const upp = sharedFile(`spec/upp/${file}`);
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < upp.length && out.length < 12; ) {
      const element = readTlv(upp, offset);
      out.push(element.tlv);
      offset = element.end;
    }
    return out;
  });
}

const seeds: Array<[string, Codec<unknown>, Uint8Array[]]> = [
  ['ProfileElement', ProfileElement as Codec<unknown>, firstProfileElements()],
  ['BoundProfilePackage', BoundProfilePackage as Codec<unknown>, [BoundProfilePackage.encode({
    initialiseSecureChannelRequest: {
      remoteOpId: 1, transactionId: hex('0102'), controlRefTemplate: { keyType: hex('88'), keyLen: hex('10'), hostId: hex('8080808080808080') },
      smdpOtpk: new Uint8Array(65).fill(4), smdpSign: new Uint8Array(64).fill(5),
    },
    firstSequenceOf87: [new Uint8Array(24).fill(7)],
    sequenceOf88: [new Uint8Array(40).fill(8), new Uint8Array(30).fill(9)],
    sequenceOf86: [new Uint8Array(300).fill(6), new Uint8Array(10).fill(6)],
  })]],
  ['AuthenticateServerResponse', AuthenticateServerResponse as Codec<unknown>, [AuthenticateServerResponse.encode({
    authenticateResponseOk: {
      euiccSigned1: {
        transactionId: hex('0102'), serverAddress: 'smdp.io', serverChallenge: new Uint8Array(16), euiccInfo2,
        ctxParams1: { ctxParamsForCommonAuthentication: { matchingId: 'AB', deviceInfo: { tac: hex('35290611'), deviceCapabilities: {} } } },
      },
      euiccSignature1: new Uint8Array(64).fill(3), euiccCertificate, eumCertificate,
    },
  })]],
  ['EUICCInfo1', EUICCInfo1 as Codec<unknown>, [EUICCInfo1.encode({ svn: hex('020202'), euiccCiPKIdListForVerification: [ci], euiccCiPKIdListForSigning: [ci] })]],
  ['EUICCInfo2', EUICCInfo2 as Codec<unknown>, [EUICCInfo2.encode(euiccInfo2)]],
  ['PrepareDownloadResponse', PrepareDownloadResponse as Codec<unknown>, [PrepareDownloadResponse.encode({
    downloadResponseOk: { euiccSigned2: { transactionId: hex('0102'), euiccOtpk: new Uint8Array(65).fill(4), hashCc: new Uint8Array(32) }, euiccSignature2: new Uint8Array(64) },
  })]],
  ['ProfileInfoListResponse', ProfileInfoListResponse as Codec<unknown>, [ProfileInfoListResponse.encode({
    profileInfoListOk: [{ iccid: hex('98001032547698103214'), profileState: 1, profileName: 'Test', profileClass: 0 }],
  })]],
  ['ProfileInstallationResult', ProfileInstallationResult as Codec<unknown>, [ProfileInstallationResult.encode(pir)]],
  ['ListNotificationResponse', ListNotificationResponse as Codec<unknown>, [ListNotificationResponse.encode({ notificationMetadataList: [metadata, metadata] })]],
  ['RetrieveNotificationsListResponse', RetrieveNotificationsListResponse as Codec<unknown>, [RetrieveNotificationsListResponse.encode({
    notificationList: [{ profileInstallationResult: pir }],
  })]],
  ['CancelSessionResponse', CancelSessionResponse as Codec<unknown>, [CancelSessionResponse.encode({
    cancelSessionResponseOk: { euiccCancelSessionSigned: { transactionId: hex('01'), smdpOid: '2.999.10', reason: 0 }, euiccCancelSessionSignature: new Uint8Array(64) },
  })]],
  ['GetEuiccDataResponse', GetEuiccDataResponse as Codec<unknown>, [GetEuiccDataResponse.encode({ eidValue: hex('89049032123451234512345678901235') })]],
  ['EuiccConfiguredAddressesResponse', EuiccConfiguredAddressesResponse as Codec<unknown>, [EuiccConfiguredAddressesResponse.encode({ defaultDpAddress: 'a', rootDsAddress: 'b' })]],
];

function decodesOrFailsTyped(codec: Codec<unknown>, input: Uint8Array): void {
  let value: unknown;
  try {
    value = codec.decode(input);
  } catch (error) {
    if (!(error instanceof Asn1DecodeError)) throw error;
    return;
  }
  expect(codec.encode(value)).toBeInstanceOf(Uint8Array);
}

describe.each(seeds)('fuzzing %s', (_name, codec, inputs) => {
  it(`gives a value or an Asn1DecodeError for ${RUNS} mutated and random inputs`, () => {
    for (const input of inputs) expect(() => codec.decode(input)).not.toThrow();
    const mutated = fc.tuple(fc.nat({ max: inputs.length - 1 }), mutations)
      .map(([index, changes]) => mutate(inputs[index]!, changes));
    const random = fc.uint8Array({ maxLength: 512 });
    fc.assert(fc.property(fc.oneof({ arbitrary: mutated, weight: 4 }, { arbitrary: random, weight: 1 }), (input) => decodesOrFailsTyped(codec, input)), {
      numRuns: RUNS,
      seed: 0x5e22,
    });
  });
});
