// SM-DP+ cases on ES9+.GetBoundProfilePackage (§5.6.2) (SGP.22 v2.2.2, procedures §3.1.3). Part of the ES9+ function cases (functionCases.ts).
import { BoundProfilePackage, PrepareDownloadResponse, SmdpSigned2, StoreMetadataRequest } from '@zkesim/protocol';
import { randomBytes } from 'node:crypto';
import type { CaseContext } from '../runner/model.js';
import { sgp23 } from '../runner/sgp23.js';
import { expectFailure, expectSuccess } from './checks.js';
import type { SmdpCase } from './env.js';
import type { Es9Session } from './session.js';
import { unb64, hex, authenticatedServer, authenticatedClient, bound, flipByte } from './functionShared.js';

export function getBoundProfilePackageCases(): SmdpCase[] {
  const otpkOf = (s: Es9Session): Uint8Array => {
    const response = PrepareDownloadResponse.decode(s.prepareDownloadResponse);
    if (!('downloadResponseOk' in response)) throw new Error('PrepareDownload failed');
    return response.downloadResponseOk.euiccSigned2.euiccOtpk;
  };
  const bppOf = (t: CaseContext, s: Es9Session) => {
    try {
      return BoundProfilePackage.decode(s.boundProfilePackage);
    } catch (error) {
      return t.fail(`boundProfilePackage does not decode as BF36: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return [
    {
      id: 'ES9+.GetBoundProfilePackage.nominal',
      title: 'nominal: a BoundProfilePackage (BF36) for this transaction, whose BF23 names it (§5.6.2, §2.5.5)',
      // Sequences #01 (S-ENC/S-MAC) and #03 (PPK) differ by a choice the server makes: the test case only.
      sgp23: sgp23('4.3.13.2.1'),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload', () => s.prepareDownload());
        expectSuccess(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage());
        t.equal('transactionId', s.transactionId.toUpperCase(), String(s.initiateJson.transactionId).toUpperCase());
        const bpp = bppOf(t, s);
        t.equal('initialiseSecureChannelRequest.transactionId', s.transactionId.toUpperCase(), hex(bpp.initialiseSecureChannelRequest.transactionId));
        t.ok(bpp.sequenceOf86.length > 0, 'the BPP has at least one 86 segment (profile elements)');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.installs',
      title: 'nominal: the eUICC verifies smdpSign and the MAC chain and installs the profile of profileMetadata (§2.5.5, §5.7.6)',
      sgp23: sgp23('4.3.13.2.1'),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await bound(t, env, env.fixture('released').matchingId);
        const result = await s.loadBoundProfilePackage();
        const { ProfileInstallationResult } = await import('@zkesim/protocol');
        const decoded = ProfileInstallationResult.decode(result).profileInstallationResultData;
        t.ok('successResult' in decoded.finalResult, 'the eUICC reports successResult', JSON.stringify(decoded.finalResult, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v)));
        const metadata = StoreMetadataRequest.decode(unb64(s.authenticateClientJson.profileMetadata));
        t.equal('installed ICCID', hex(metadata.iccid), hex(decoded.notificationMetadata.iccid));
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.unknownTransactionId',
      title: 'a transactionId the SM-DP+ never issued is refused with 8.10.1 / 3.9 (§5.6.2)',
      sgp23: sgp23('4.3.13.2.10', 2),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload', () => s.prepareDownload());
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(s.prepareDownloadResponse, hex(randomBytes(16))), 'transactionIdUnknown');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.beforeAuthenticateClient',
      title: 'GetBoundProfilePackage on a session not past AuthenticateClient is refused with 8.10.1 / 3.9 (§5.6.2)',
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedServer(t, env, env.fixture('released').matchingId);
        // A well-formed, well-signed PrepareDownloadResponse of another session, so that only the state of this one is wrong.
        const donor = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload in the other session', () => donor.prepareDownload());
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(donor.prepareDownloadResponse), 'transactionIdUnknown');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.badEuiccSignature2',
      title: 'a PrepareDownloadResponse whose euiccSignature2 has one bit changed is refused with 8.1 / 6.1 (§5.6.2)',
      sgp23: sgp23('4.3.13.2.10', 1),
      fixtures: ['released'],
      run: async (t, env) => {
        const s = await authenticatedClient(t, env, env.fixture('released').matchingId);
        await t.precondition('PrepareDownload', () => s.prepareDownload());
        const response = PrepareDownloadResponse.decode(s.prepareDownloadResponse);
        if (!('downloadResponseOk' in response)) return t.inconclusive('the eUICC refused PrepareDownload');
        const tampered = PrepareDownloadResponse.encode({ downloadResponseOk: { ...response.downloadResponseOk, euiccSignature2: flipByte(response.downloadResponseOk.euiccSignature2, 7) } });
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(tampered), 'euiccVerificationFailed');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.confirmationCode',
      title: 'the right confirmation code gives the BPP (§5.6.2, hashCc §5.7.5)',
      // With a confirmation code: sequence #02 or #04, as the server protects the profile.
      sgp23: sgp23('4.3.13.2.1'),
      fixtures: ['confirmationCode'],
      run: async (t, env) => {
        const fixture = env.fixture('confirmationCode');
        const s = await authenticatedClient(t, env, fixture.matchingId);
        await t.precondition('PrepareDownload with hashCc', () => s.prepareDownload(fixture.confirmationCode));
        expectSuccess(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage());
        bppOf(t, s);
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.wrongConfirmationCode',
      title: 'a wrong confirmation code is refused with 8.2.7 / 3.8 (§5.6.2)',
      sgp23: sgp23('4.3.13.2.10', 5),
      fixtures: ['confirmationCode'],
      run: async (t, env) => {
        const fixture = env.fixture('confirmationCode');
        const s = await authenticatedClient(t, env, fixture.matchingId);
        const wrong = fixture.confirmationCode === '0000' ? '9999' : '0000';
        await t.precondition('PrepareDownload with the hashCc of a wrong code', () => s.prepareDownload(wrong));
        expectFailure(t, 'GetBoundProfilePackage', await s.getBoundProfilePackage(), 'confirmationCodeRefused');
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.retrySameOtpk',
      title: 'retry with the same otPK: a new session of the eUICC that kept its one-time key gets smdpSigned2.bppEuiccOtpk and the same smdpOtpk (§3.1.3.2, §5.6.2)',
      // Sequences #01 to #04 differ by confirmation code and by the server's S-ENC/PPK choice: the test case only.
      sgp23: sgp23('4.3.13.2.4'),
      fixtures: ['released'],
      run: async (t, env) => {
        const id = env.fixture('released').matchingId;
        const first = await bound(t, env, id);
        const firstOtpk = otpkOf(first);
        const firstSmdpOtpk = bppOf(t, first).initialiseSecureChannelRequest.smdpOtpk;
        // The LPA lost the package: a new session on the same card, which still holds its one-time key.
        const retry = new (first.constructor as new (...args: ConstructorParameters<typeof Es9Session>) => Es9Session)(t, first.env);
        const s = await authenticatedServer(t, env, id, retry);
        expectSuccess(t, 'AuthenticateClient (retry)', await s.authenticateClient());
        t.equal('smdpSigned2.bppEuiccOtpk', hex(firstOtpk), hex(SmdpSigned2.decode(unb64(s.authenticateClientJson.smdpSigned2)).bppEuiccOtpk));
        await t.precondition('PrepareDownload (retry)', () => s.prepareDownload());
        expectSuccess(t, 'GetBoundProfilePackage (retry)', await s.getBoundProfilePackage());
        t.equal('BF23 smdpOtpk', hex(firstSmdpOtpk), hex(bppOf(t, s).initialiseSecureChannelRequest.smdpOtpk));
        t.equal('BF23 transactionId', s.transactionId.toUpperCase(), hex(bppOf(t, s).initialiseSecureChannelRequest.transactionId));
      },
    },
    {
      id: 'ES9+.GetBoundProfilePackage.retryNewOtpk',
      title: 'retry with a new otPK: the eUICC without its old one-time key gets a BPP bound to a new smdpOtpk that it installs (§3.1.3.2, §5.6.2)',
      sgp23: sgp23('4.3.13.2.7'),
      fixtures: ['released'],
      run: async (t, env) => {
        const id = env.fixture('released').matchingId;
        const first = await bound(t, env, id);
        const firstSmdpOtpk = bppOf(t, first).initialiseSecureChannelRequest.smdpOtpk;
        const s = await authenticatedClient(t, env, id);
        await t.precondition('PrepareDownload (new card state)', () => s.prepareDownload());
        t.ok(hex(otpkOf(s)) !== hex(otpkOf(first)), 'the eUICC sent a new otPK.EUICC.ECKA');
        expectSuccess(t, 'GetBoundProfilePackage (retry)', await s.getBoundProfilePackage());
        t.ok(hex(bppOf(t, s).initialiseSecureChannelRequest.smdpOtpk) !== hex(firstSmdpOtpk), 'the BPP is bound to a new otPK.DP.ECKA');
        const { ProfileInstallationResult } = await import('@zkesim/protocol');
        const result = ProfileInstallationResult.decode(await s.loadBoundProfilePackage()).profileInstallationResultData;
        t.ok('successResult' in result.finalResult, 'the eUICC installs the re-bound package');
      },
    },
    {
      id: 'ES9+.AuthenticateClient.boundToAnotherEid',
      title: 'an order naming no EID, once bound to one eUICC, is refused to an eUICC of another EID with 8.2 / 3.7 (§3.1.3: a retry by the eUICC it was bound for only)',
      fixtures: ['anyEid'],
      run: async (t, env) => {
        const otherSession = env.otherSession;
        if (otherSession === undefined) return t.inconclusive('no second eUICC (--other-euicc-cert, --other-eum-cert, --other-euicc-key)');
        const id = env.fixture('anyEid').matchingId;
        await bound(t, env, id);
        const other = await authenticatedServer(t, env, id, await otherSession());
        expectFailure(t, 'AuthenticateClient (another EID)', await other.authenticateClient(), 'bppNotAvailable');
      },
    },
  ];
}
