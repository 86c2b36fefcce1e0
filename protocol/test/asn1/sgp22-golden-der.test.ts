// Golden DER for one message of each ES10a/b/c and ES9+ function (SGP.22 v2.2.2 §5.6, §5.7), built field
// by field from RSPDefinitions and checked against bytes worked out by hand from the ASN.1 tagging rules.
import { describe, expect, it } from 'vitest';
import {
  AuthenticateClientRequest, AuthenticateServerRequest, bitStringFromNames, BoundProfilePackage, CancelSessionRequest, CancelSessionRequestEs9,
  CancelSessionResponse, Certificate, DeleteProfileRequest, DeleteProfileResponse, DisableProfileRequest, EnableProfileRequest,
  EUICCInfo1, EuiccConfiguredAddressesRequest, EuiccConfiguredAddressesResponse, EuiccMemoryResetRequest, GetBoundProfilePackageRequest,
  GetEuiccChallengeRequest, GetEuiccChallengeResponse, GetEuiccDataRequest, GetEuiccDataResponse, GetEuiccInfo1Request,
  GetEuiccInfo2Request, GetRatRequest, HandleNotification, InitiateAuthenticationRequest, ListNotificationRequest,
  ListNotificationResponse, LoadCRLResponse, NotificationEvent, NotificationSentRequest, NotificationSentResponse,
  PrepareDownloadResponse, ProfileInfoListRequest, ProfileInfoListResponse, RetrieveNotificationsListRequest, ServerSigned1,
  SetDefaultDpAddressRequest, SetDefaultDpAddressResponse, SetNicknameRequest, type Codec,
} from '../../src/index.js';
import { hex, sharedFile, toHex } from '../support.js';

const CI_NIST = hex('f54172bdf98a95d65cbeb88a38a1c11d800a85c3');
const ICCID = hex('98001032547698103214');
const EID = hex('89049032123451234512345678901235');
const ISDP_AID = hex('a0000005591010ffffffff8900001000');
const install = bitStringFromNames(NotificationEvent, ['notificationInstall']);

interface Golden {
  name: string;
  codec: Codec<never>;
  value: unknown;
  der: string;
}

const euiccInfo1 = { svn: hex('020200'), euiccCiPKIdListForVerification: [CI_NIST], euiccCiPKIdListForSigning: [CI_NIST] };
const euiccInfo1Der = `bf2035 820302020 0 a916 0414${toHex(CI_NIST)} aa16 0414${toHex(CI_NIST)}`;

const goldens: Golden[] = [
  // ES10b
  { name: 'GetEUICCChallenge request', codec: GetEuiccChallengeRequest as Codec<never>, value: {}, der: 'bf2e00' },
  {
    name: 'GetEUICCChallenge response',
    codec: GetEuiccChallengeResponse as Codec<never>,
    value: { euiccChallenge: hex('000102030405060708090a0b0c0d0e0f') },
    der: 'bf2e12 8010 000102030405060708090a0b0c0d0e0f',
  },
  { name: 'GetEUICCInfo1 request', codec: GetEuiccInfo1Request as Codec<never>, value: {}, der: 'bf2000' },
  { name: 'GetEUICCInfo1 response', codec: EUICCInfo1 as Codec<never>, value: euiccInfo1, der: euiccInfo1Der },
  { name: 'GetEUICCInfo2 request', codec: GetEuiccInfo2Request as Codec<never>, value: {}, der: 'bf2200' },
  { name: 'CancelSession request', codec: CancelSessionRequest as Codec<never>, value: { transactionId: hex('aa'), reason: 0 }, der: 'bf4106 8001aa 810100' },
  { name: 'CancelSession error response', codec: CancelSessionResponse as Codec<never>, value: { cancelSessionResponseError: 5 }, der: 'bf4103 810105' },
  {
    // transactionId carries a tag, so automatic tagging is off for this SEQUENCE (X.680 §25.3):
    // downloadErrorCode keeps its universal INTEGER tag 02.
    name: 'PrepareDownload error response',
    codec: PrepareDownloadResponse as Codec<never>,
    value: { downloadResponseError: { transactionId: hex('aa'), downloadErrorCode: 5 } },
    der: 'bf2108 a106 8001aa 020105',
  },
  { name: 'ListNotification request', codec: ListNotificationRequest as Codec<never>, value: { profileManagementOperation: install }, der: 'bf2804 81020780' },
  {
    name: 'ListNotification response',
    codec: ListNotificationResponse as Codec<never>,
    value: { notificationMetadataList: [{ seqNumber: 3n, profileManagementOperation: install, notificationAddress: 'smdp.io', iccid: ICCID }] },
    der: `bf2821 a01f bf2f1c 800103 81020780 0c07736d64702e696f 5a0a${toHex(ICCID)}`,
  },
  { name: 'RetrieveNotificationsList request', codec: RetrieveNotificationsListRequest as Codec<never>, value: { searchCriteria: { seqNumber: 3n } }, der: 'bf2b05 a003 800103' },
  { name: 'RemoveNotificationFromList request', codec: NotificationSentRequest as Codec<never>, value: { seqNumber: 3n }, der: 'bf3003 800103' },
  { name: 'RemoveNotificationFromList response', codec: NotificationSentResponse as Codec<never>, value: { deleteNotificationStatus: 0 }, der: 'bf3003 800100' },
  { name: 'LoadCRL response', codec: LoadCRLResponse as Codec<never>, value: { loadCRLResponseError: 4 }, der: 'bf3503 810104' },
  { name: 'GetRAT request', codec: GetRatRequest as Codec<never>, value: {}, der: 'bf4300' },
  {
    // ES8+ inside ES10b.LoadBoundProfilePackage (§2.5.4): BF23 with the CRT as [6] IMPLICIT (A6), then the
    // 87 / 88 / 86 segment lists as [0] / [1] / [3].
    name: 'LoadBoundProfilePackage: BoundProfilePackage',
    codec: BoundProfilePackage as Codec<never>,
    value: {
      initialiseSecureChannelRequest: {
        remoteOpId: 1,
        transactionId: hex('0102'),
        controlRefTemplate: { keyType: hex('88'), keyLen: hex('10'), hostId: hex('8080808080808080') },
        smdpOtpk: new Uint8Array(65).fill(0x04),
        smdpSign: new Uint8Array(64).fill(0x55),
      },
      firstSequenceOf87: [hex('aabbcc')],
      sequenceOf88: [hex('dddd'), hex('ee')],
      sequenceOf86: [hex('01020304')],
    },
    der: `bf3681bc bf2381a0 820101 80020102 a610 800188 810110 84088080808080808080 5f4941${'04'.repeat(65)} 5f3740${'55'.repeat(64)}
      a005 8703aabbcc a107 8802dddd 8801ee a306 860401020304`,
  },
  // ES10a
  { name: 'GetEuiccConfiguredAddresses request', codec: EuiccConfiguredAddressesRequest as Codec<never>, value: {}, der: 'bf3c00' },
  {
    name: 'GetEuiccConfiguredAddresses response',
    codec: EuiccConfiguredAddressesResponse as Codec<never>,
    value: { rootDsAddress: 'lpa.ds.gsma.com' },
    der: 'bf3c11 810f 6c70612e64732e67736d612e636f6d',
  },
  { name: 'SetDefaultDpAddress request', codec: SetDefaultDpAddressRequest as Codec<never>, value: { defaultDpAddress: 'smdp.io' }, der: 'bf3f09 8007736d64702e696f' },
  { name: 'SetDefaultDpAddress response', codec: SetDefaultDpAddressResponse as Codec<never>, value: { setDefaultDpAddressResult: 0 }, der: 'bf3f03 800100' },
  // ES10c
  {
    name: 'GetProfilesInfo request',
    codec: ProfileInfoListRequest as Codec<never>,
    value: { searchCriteria: { profileClass: 2 }, tagList: hex('5a9f70') },
    der: 'bf2d0a a003950102 5c035a9f70',
  },
  {
    name: 'GetProfilesInfo response',
    codec: ProfileInfoListResponse as Codec<never>,
    value: { profileInfoListOk: [{ iccid: ICCID, profileState: 1, profileName: 'Test' }] },
    der: `bf2d1a a018 e316 5a0a${toHex(ICCID)} 9f700101 920454657374`,
  },
  {
    name: 'EnableProfile request',
    codec: EnableProfileRequest as Codec<never>,
    value: { profileIdentifier: { iccid: ICCID }, refreshFlag: true },
    der: `bf3111 a00c5a0a${toHex(ICCID)} 8101ff`,
  },
  {
    name: 'DisableProfile request',
    codec: DisableProfileRequest as Codec<never>,
    value: { profileIdentifier: { isdpAid: ISDP_AID }, refreshFlag: false },
    der: `bf3217 a0124f10${toHex(ISDP_AID)} 810100`,
  },
  { name: 'DeleteProfile request', codec: DeleteProfileRequest as Codec<never>, value: { iccid: ICCID }, der: `bf330c 5a0a${toHex(ICCID)}` },
  { name: 'DeleteProfile response', codec: DeleteProfileResponse as Codec<never>, value: { deleteResult: 1 }, der: 'bf3303 800101' },
  {
    name: 'eUICCMemoryReset request',
    codec: EuiccMemoryResetRequest as Codec<never>,
    value: { resetOptions: { bytes: hex('c0'), unusedBits: 6 } },
    der: 'bf3404 820206c0',
  },
  { name: 'GetEID request', codec: GetEuiccDataRequest as Codec<never>, value: { tagList: hex('5a') }, der: 'bf3e03 5c015a' },
  { name: 'GetEID response', codec: GetEuiccDataResponse as Codec<never>, value: { eidValue: EID }, der: `bf3e12 5a10${toHex(EID)}` },
  {
    name: 'SetNickname request',
    codec: SetNicknameRequest as Codec<never>,
    value: { iccid: ICCID, profileNickname: 'Work' },
    der: `bf2912 5a0a${toHex(ICCID)} 9004576f726b`,
  },
  // ES9+ (ASN.1 binding, §6.6)
  {
    name: 'InitiateAuthentication request',
    codec: InitiateAuthenticationRequest as Codec<never>,
    value: { euiccChallenge: hex('000102030405060708090a0b0c0d0e0f'), smdpAddress: 'smdp.io', euiccInfo1 },
    der: `bf3953 8110000102030405060708090a0b0c0d0e0f 8307736d64702e696f ${euiccInfo1Der}`,
  },
  {
    name: 'AuthenticateClient request',
    codec: AuthenticateClientRequest as Codec<never>,
    value: { transactionId: hex('aa'), authenticateServerResponse: { authenticateResponseError: { transactionId: hex('aa'), authenticateErrorCode: 7 } } },
    der: 'bf3b0e 8001aa bf3808 a106 8001aa 020107',
  },
  {
    name: 'GetBoundProfilePackage request',
    codec: GetBoundProfilePackageRequest as Codec<never>,
    value: { transactionId: hex('aa'), prepareDownloadResponse: { downloadResponseError: { transactionId: hex('aa'), downloadErrorCode: 5 } } },
    der: 'bf3a0e 8001aa bf2108 a106 8001aa 020105',
  },
  {
    name: 'HandleNotification request',
    codec: HandleNotification as Codec<never>,
    value: {
      pendingNotification: {
        profileInstallationResult: {
          profileInstallationResultData: {
            transactionId: hex('aa'),
            notificationMetadata: { seqNumber: 1n, profileManagementOperation: install, notificationAddress: 'smdp.io' },
            finalResult: { errorResult: { bppCommandId: 5, errorReason: 8 } },
          },
          euiccSignPIR: new Uint8Array(64).fill(0x33),
        },
      },
    },
    der: `bf3d6b a069 bf3766 bf2720 8001aa bf2f10 800101 81020780 0c07736d64702e696f a208a106800105810108 5f3740${'33'.repeat(64)}`,
  },
  {
    // CancelSessionResponse is a tagged CHOICE ([65] EXPLICIT), so the automatic [1] IMPLICIT replaces [65].
    name: 'CancelSession (ES9+) request',
    codec: CancelSessionRequestEs9 as Codec<never>,
    value: { transactionId: hex('aa'), cancelSessionResponse: { cancelSessionResponseError: 5 } },
    der: 'bf4108 8001aa a103810105',
  },
];

describe('SGP.22 golden DER', () => {
  it.each(goldens.map((g) => [g.name, g] as const))('%s encodes and decodes exactly', (_name, golden) => {
    const expected = golden.der.replace(/\s+/g, '');
    expect(toHex(golden.codec.encode(golden.value as never))).toBe(expected);
    const decoded = golden.codec.decode(hex(expected));
    expect(decoded).toEqual(golden.value);
    expect(toHex(golden.codec.encode(decoded))).toBe(expected);
  });

  it('ServerSigned1 and AuthenticateServer request with the SGP.26 DPauth certificate', () => {
    const serverSigned1 = {
      transactionId: hex('010203'),
      euiccChallenge: new Uint8Array(16).fill(0x11),
      serverAddress: 'smdp.example.com',
      serverChallenge: new Uint8Array(16).fill(0x22),
    };
    const signedDer = `303b 8003010203 8110${'11'.repeat(16)} 8310${toHex(new TextEncoder().encode('smdp.example.com'))} 8410${'22'.repeat(16)}`.replace(/\s+/g, '');
    expect(toHex(ServerSigned1.encode(serverSigned1))).toBe(signedDer);

    const certificate = sharedFile('spec/sgp26/DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der');
    const ctxParams1 = { ctxParamsForCommonAuthentication: { matchingId: 'ABCDE', deviceInfo: { tac: hex('35290611'), deviceCapabilities: {} } } };
    const ctxDer = 'a011 80054142434445 a108 800435290611 a100';
    const content = `${signedDer}5f3740${'44'.repeat(64)}0414${toHex(CI_NIST)}${toHex(certificate)}${ctxDer.replace(/\s+/g, '')}`;
    const length = content.length / 2;
    const expected = `bf3882${length.toString(16).padStart(4, '0')}${content}`;
    const request = {
      serverSigned1,
      serverSignature1: new Uint8Array(64).fill(0x44),
      euiccCiPKIdToBeUsed: CI_NIST,
      serverCertificate: Certificate.decode(certificate),
      ctxParams1,
    };
    expect(toHex(AuthenticateServerRequest.encode(request))).toBe(expected);
    expect(toHex(AuthenticateServerRequest.encode(AuthenticateServerRequest.decode(hex(expected))))).toBe(expected);
  });
});
