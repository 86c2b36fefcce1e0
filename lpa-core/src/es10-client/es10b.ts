// ES10b, LPA ↔ eUICC for downloads and notifications (SGP.22 v2.2.2 §5.7.5 – §5.7.14).
import {
  AuthenticateServerRequest, AuthenticateServerResponse, CancelSessionRequest, CancelSessionResponse, CancelSessionResponse_cancelSessionResponseError,
  EUICCInfo1, EUICCInfo2, GetEuiccChallengeRequest, GetEuiccChallengeResponse, GetEuiccInfo1Request, GetEuiccInfo2Request, ListNotificationRequest,
  ListNotificationResponse, ListNotificationResponse_listNotificationsResultError, NotificationSentRequest, NotificationSentResponse,
  NotificationSentResponse_deleteNotificationStatus, PrepareDownloadRequest, PrepareDownloadResponse, ProfileInstallationResult,
  RetrieveNotificationsListRequest, RetrieveNotificationsListResponse, RetrieveNotificationsListResponse_notificationsListResultError, GetRatRequest,
  GetRatResponse, Asn1DecodeError, bppPieces, type Es10Sender, type NotificationMetadata, type PendingNotification, type RulesAuthorisationTable,
} from '@zkesim/protocol';
import { CardResponseInvalid } from '../errors.js';
import { errorAlternative, es10Call, expectOk } from './call.js';

/** A decoded answer together with the exact bytes the card sent (forwarded to the SM-DP+ unchanged). */
export interface Received<T> {
  readonly value: T;
  readonly bytes: Uint8Array;
}

/** §5.7.7 ES10b.GetEUICCChallenge (BF2E). */
export async function getEuiccChallenge(channel: Es10Sender): Promise<Uint8Array> {
  return (await es10Call(channel, 'GetEUICCChallenge', GetEuiccChallengeRequest, {}, GetEuiccChallengeResponse)).value.euiccChallenge;
}

/** §5.7.8 ES10b.GetEUICCInfo (BF20): euiccInfo1, forwarded as received to InitiateAuthentication. */
export function getEuiccInfo1(channel: Es10Sender): Promise<Received<EUICCInfo1>> {
  return es10Call(channel, 'GetEUICCInfo1', GetEuiccInfo1Request, {}, EUICCInfo1);
}

/** §5.7.8 ES10b.GetEUICCInfo (BF22): euiccInfo2. */
export async function getEuiccInfo2(channel: Es10Sender): Promise<EUICCInfo2> {
  return (await es10Call(channel, 'GetEUICCInfo2', GetEuiccInfo2Request, {}, EUICCInfo2)).value;
}

/** §5.7.13 ES10b.AuthenticateServer (BF38). */
export function authenticateServer(channel: Es10Sender, request: AuthenticateServerRequest): Promise<Received<AuthenticateServerResponse>> {
  return es10Call(channel, 'AuthenticateServer', AuthenticateServerRequest, request, AuthenticateServerResponse);
}

/** §5.7.5 ES10b.PrepareDownload (BF21). */
export function prepareDownload(channel: Es10Sender, request: PrepareDownloadRequest): Promise<Received<PrepareDownloadResponse>> {
  return es10Call(channel, 'PrepareDownload', PrepareDownloadRequest, request, PrepareDownloadResponse);
}

/**
 * §5.7.6 ES10b.LoadBoundProfilePackage: one STORE DATA sequence per BPP piece (cut as in §2.5.5). The card
 * answers the last piece, or the first failing one, with the ProfileInstallationResult (BF37); the LPA
 * stops sending as soon as it has one. `onPiece` reports how many pieces the card
 * has accepted; `startAt` resumes an interrupted load (the card keeps its session in between).
 */
export async function loadBoundProfilePackage(
  channel: Es10Sender,
  boundProfilePackage: Uint8Array,
  onPiece: (loaded: number, count: number) => void = () => undefined,
  startAt = 0,
): Promise<Received<ProfileInstallationResult>> {
  const pieces = piecesOf(boundProfilePackage);
  for (let index = startAt; index < pieces.length; index += 1) {
    const piece = pieces[index] as Uint8Array;
    const response = await channel.send(piece, `LoadBoundProfilePackage piece ${index + 1}/${pieces.length}`);
    onPiece(index + 1, pieces.length);
    if (response.length === 0) continue;
    try {
      return { value: ProfileInstallationResult.decode(response), bytes: response };
    } catch (error) {
      throw new CardResponseInvalid('LoadBoundProfilePackage', error);
    }
  }
  throw new CardResponseInvalid('LoadBoundProfilePackage', new Error('the eUICC sent no ProfileInstallationResult after the last segment'));
}

/** The BPP cut as §2.5.5 says; one that does not decode is refused before anything reaches the card. */
function piecesOf(boundProfilePackage: Uint8Array): Uint8Array[] {
  try {
    return bppPieces(boundProfilePackage);
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw new CardResponseInvalid('GetBoundProfilePackage (BPP structure)', error);
    throw error;
  }
}

/** §5.7.14 ES10b.CancelSession (BF41): the signed answer is forwarded to ES9+.CancelSession. */
export async function cancelSession(channel: Es10Sender, transactionId: Uint8Array, reason: number): Promise<Received<CancelSessionResponse>> {
  const received = await es10Call(channel, 'CancelSession', CancelSessionRequest, { transactionId, reason }, CancelSessionResponse);
  if ('cancelSessionResponseError' in received.value) {
    throw errorAlternative('CancelSession', received.value.cancelSessionResponseError, CancelSessionResponse_cancelSessionResponseError);
  }
  return received;
}

/** §5.7.9 ES10b.ListNotification (BF28): the metadata of every pending notification. */
export async function listNotification(channel: Es10Sender): Promise<NotificationMetadata[]> {
  const { value } = await es10Call(channel, 'ListNotification', ListNotificationRequest, {}, ListNotificationResponse);
  if ('listNotificationsResultError' in value) {
    throw errorAlternative('ListNotification', value.listNotificationsResultError, ListNotificationResponse_listNotificationsResultError);
  }
  return value.notificationMetadataList;
}

/** §5.7.10 ES10b.RetrieveNotificationsList (BF2B) for one seqNumber, or all when none is given. */
export async function retrieveNotificationsList(channel: Es10Sender, seqNumber?: bigint): Promise<PendingNotification[]> {
  const request: RetrieveNotificationsListRequest = seqNumber === undefined ? {} : { searchCriteria: { seqNumber } };
  const { value } = await es10Call(channel, 'RetrieveNotificationsList', RetrieveNotificationsListRequest, request, RetrieveNotificationsListResponse);
  if ('notificationsListResultError' in value) {
    const code = value.notificationsListResultError;
    // noResultAvailable only means "nothing pending for this criterion".
    if (code === RetrieveNotificationsListResponse_notificationsListResultError.noResultAvailable) return [];
    throw errorAlternative('RetrieveNotificationsList', code, RetrieveNotificationsListResponse_notificationsListResultError);
  }
  return value.notificationList;
}

/** §5.7.11 ES10b.RemoveNotificationFromList (BF30). */
export async function removeNotificationFromList(channel: Es10Sender, seqNumber: bigint): Promise<void> {
  const { value } = await es10Call(channel, 'RemoveNotificationFromList', NotificationSentRequest, { seqNumber }, NotificationSentResponse);
  expectOk('RemoveNotificationFromList', value.deleteNotificationStatus, NotificationSentResponse_deleteNotificationStatus);
}

/** ES10b.GetRAT (BF43): the eUICC's Rules Authorisation Table. */
export async function getRat(channel: Es10Sender): Promise<RulesAuthorisationTable> {
  return (await es10Call(channel, 'GetRAT', GetRatRequest, {}, GetRatResponse)).value.rat;
}
