// ES10b notification cases: RetrieveNotificationsList signatures and consistency with ListNotification (§5.7.10, §5.7.9).
import { CancelSessionReason, ListNotificationResponse, PendingNotification, RetrieveNotificationsListRequest, RetrieveNotificationsListResponse, derOf, verifyRaw } from '@zkesim/protocol';
import { parseCertificate } from '@zkesim/pki';
import type { CaseContext } from '../runner/model.js';
import type { EuiccCase, EuiccEnv } from './env.js';
import { hex, fromHex, decode } from './support.js';
import { authenticate, okOf, cancel } from './session.js';

export function notificationCases(): EuiccCase[] {
  const pending = async (t: CaseContext, env: EuiccEnv) => {
    const decoded = decode(t, 'RetrieveNotificationsListResponse', RetrieveNotificationsListResponse, await env.send('RetrieveNotificationsList', fromHex('BF2B00')));
    // SPEC-AMBIGUITY: a card with nothing pending may answer an empty list or noResultAvailable(1); both mean none.
    return 'notificationList' in decoded ? decoded.notificationList : [];
  };
  return [
    {
      id: 'ES10b.RetrieveNotificationsList.signatures',
      title: 'each pending notification is signed with SK.EUICC: euiccSignPIR over profileInstallationResultData, euiccNotificationSignature over tbsOtherNotification (§5.7.10, §5.7.6)',
      run: async (t, env) => {
        const list = await pending(t, env);
        if (list.length === 0) return t.inconclusive('the card holds no pending notification to check');
        const session = await authenticate(t, env);
        const euicc = parseCertificate(derOf(okOf(session.response).euiccCertificate));
        await cancel(env, session.transactionId, CancelSessionReason.named.endUserRejection);
        for (const notification of list) {
          if ('profileInstallationResult' in notification) {
            const pir = notification.profileInstallationResult;
            const seq = pir.profileInstallationResultData.notificationMetadata.seqNumber;
            t.ok(verifyRaw(euicc.publicKey, derOf(pir.profileInstallationResultData), pir.euiccSignPIR), `euiccSignPIR of notification ${seq} verifies with PK.EUICC.ECDSA`);
          } else {
            const other = notification.otherSignedNotification;
            const signer = parseCertificate(derOf(other.euiccCertificate));
            t.equal(`euiccCertificate of notification ${other.tbsOtherNotification.seqNumber}`, hex(euicc.der), hex(signer.der));
            t.ok(verifyRaw(signer.publicKey, derOf(other.tbsOtherNotification), other.euiccNotificationSignature), `euiccNotificationSignature of notification ${other.tbsOtherNotification.seqNumber} verifies`);
          }
        }
      },
    },
    {
      id: 'ES10b.RetrieveNotificationsList.matchesListNotification',
      title: 'RetrieveNotificationsList returns the notifications ListNotification lists, by sequence number (§5.7.9, §5.7.10)',
      run: async (t, env) => {
        const listed = decode(t, 'ListNotificationResponse', ListNotificationResponse, await env.send('ListNotification', fromHex('BF2800')));
        const seqs = 'notificationMetadataList' in listed ? listed.notificationMetadataList.map((m) => String(m.seqNumber)) : [];
        const retrieved = (await pending(t, env)).map((n) => String('profileInstallationResult' in n ? n.profileInstallationResult.profileInstallationResultData.notificationMetadata.seqNumber : n.otherSignedNotification.tbsOtherNotification.seqNumber));
        t.equal('sequence numbers', seqs.join(','), retrieved.join(','));
      },
    },
    {
      id: 'ES10b.RetrieveNotificationsList.bySeqNumber',
      title: 'RetrieveNotificationsList searching one sequence number returns exactly that notification (§5.7.10)',
      run: async (t, env) => {
        const list = await pending(t, env);
        const first = list[0];
        if (first === undefined) return t.inconclusive('the card holds no pending notification to search for');
        const seq = 'profileInstallationResult' in first ? first.profileInstallationResult.profileInstallationResultData.notificationMetadata.seqNumber : first.otherSignedNotification.tbsOtherNotification.seqNumber;
        const decoded = decode(t, 'RetrieveNotificationsListResponse', RetrieveNotificationsListResponse, await env.send('RetrieveNotificationsList', RetrieveNotificationsListRequest.encode({ searchCriteria: { seqNumber: seq } })));
        if (!('notificationList' in decoded)) return t.fail(`notificationsListResultError ${decoded.notificationsListResultError} for seqNumber ${seq}`);
        t.equal('notifications found', '1', String(decoded.notificationList.length));
        t.equal('the one found', hex(PendingNotification.encode(first)), hex(PendingNotification.encode(decoded.notificationList[0] as typeof first)));
      },
    },
  ];
}
