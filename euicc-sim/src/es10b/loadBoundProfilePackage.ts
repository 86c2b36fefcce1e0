// ES10b.LoadBoundProfilePackage (SGP.22 §5.7.6): the BPP arrives piece by piece (cut as in §2.5.5), each piece
// its own STORE DATA sequence. Intermediate pieces answer 9000 without data; the last '86' segment, or the
// first failure, is answered with the signed ProfileInstallationResult. Nothing is stored until the
// installation has succeeded, so an aborted install leaves no half profile, only its error PIR.
// SPEC-AMBIGUITY: SGP.22 gives no errorReason for a piece out of order; we answer scp03tStructureError(7)
// with the bppCommandId of the command that was expected. A piece with no prepared download at all cannot
// carry a PIR (there is no transactionId), so it gets 6985 (conditions of use not satisfied).
import { ApduError, BppCommandId, ErrorReason, ISD_R_AID, StatusWord, ProfileClass, ProfileState, nameOfNumber } from '@zkesim/protocol';
import { readTlvHeader } from '../core/berHeader.js';
import type { Es10Context, Es10Handler } from '../core/euicc.js';
import { ALLOWED_PIECES, COMMAND_OF_STAGE, InstallError, PIECE_OF_TAG, bppCommandId, errorReason, type InstallProgress, type PieceKind } from '../core/installation.js';
import { buildInstallationResult, type FinalResult } from '../core/installationResult.js';
import { ProfileElementError } from '../core/profileElements.js';
import { freeMemory, type EuiccState, type ProfileRecord } from '../core/state.js';
import { initialiseSecureChannel } from './bpp/initialiseSecureChannel.js';
import { addMetadataSegment, addProfileElementSegment, configureIsdp, replaceSessionKeys, startMetadata, startProfileElements } from './bpp/segments.js';

const NO_DATA = new Uint8Array(0);
/** SGP.22 §2.2.3: ISD-P AIDs share the RID/PIX prefix of the ISD-R; bytes 13-14 number the instance. */
const ISD_P_AID_PREFIX = ISD_R_AID.subarray(0, 12);

export const loadBoundProfilePackage: Es10Handler = (request, context) => {
  const { session } = context;
  const { server, download } = session.data;
  if (!session.isAllowed('loadBoundProfilePackage') || server === undefined || download === undefined) {
    throw new ApduError(StatusWord.conditionsNotSatisfied, 'LoadBoundProfilePackage without a prepared download');
  }
  const kind = PIECE_OF_TAG.get(readTlvHeader(request).tag);
  if (kind === undefined) throw new ApduError(StatusWord.referencedDataNotFound, 'not a BPP piece');
  try {
    if (kind === 'initialiseSecureChannel') {
      if (session.data.install !== undefined) throw new InstallError('second InitialiseSecureChannel', bppCommandId.initialiseSecureChannel, errorReason.scp03tStructureError);
      session.data.install = initialiseSecureChannel(request, context.state.eid, server, download);
      session.moveTo('installing');
      return NO_DATA;
    }
    const progress = session.data.install;
    if (progress === undefined) throw new InstallError(`${kind} before InitialiseSecureChannel`, bppCommandId.initialiseSecureChannel, errorReason.scp03tStructureError);
    progress.pieces += 1;
    if (!ALLOWED_PIECES[progress.stage].includes(kind)) {
      throw new InstallError(`${kind} not allowed while expecting ${progress.stage}`, COMMAND_OF_STAGE[progress.stage], errorReason.scp03tStructureError);
    }
    if (applyPiece(kind, request, progress, context.state)) return complete(progress, context);
    return earlyResult(progress, context) ?? NO_DATA;
  } catch (error) {
    if (error instanceof InstallError) return abort(context, { kind: 'error', bppCommandId: error.bppCommandId, errorReason: error.errorReason }, error.message);
    if (error instanceof ProfileElementError) {
      const result: FinalResult = { kind: 'error', bppCommandId: bppCommandId.loadProfileElements, errorReason: error.errorReason, peStatus: error.status };
      return abort(context, result, error.message);
    }
    throw error;
  }
};

/** Applies one piece; returns true when the installation is complete. */
function applyPiece(kind: PieceKind, piece: Uint8Array, progress: InstallProgress, state: EuiccState): boolean {
  switch (kind) {
    case 'firstSequenceOf87':
      configureIsdp(progress, piece);
      return false;
    case 'sequenceOf88Header':
      startMetadata(progress, piece);
      return false;
    case 'metadataSegment':
      addMetadataSegment(progress, piece);
      return false;
    case 'secondSequenceOf87':
      replaceSessionKeys(progress, piece, state);
      return false;
    case 'sequenceOf86Header':
      return startProfileElements(progress, piece, state, freeMemory(state));
    case 'profileElementSegment':
      return addProfileElementSegment(progress, piece);
    case 'initialiseSecureChannel':
      throw new InstallError('InitialiseSecureChannel in the middle of a BPP', bppCommandId.initialiseSecureChannel, errorReason.scp03tStructureError);
  }
}

function isdpAidFor(number: number): Uint8Array {
  return Uint8Array.from([...ISD_P_AID_PREFIX, 0x00, (number >> 8) & 0xff, number & 0xff, 0x00]);
}

/** The installation succeeded: store the profile and its PIR in one write. */
function complete(progress: InstallProgress, context: Es10Context): Uint8Array {
  const { state, session } = context;
  const server = session.data.server;
  const metadata = progress.metadata;
  const installer = progress.installer;
  if (server === undefined || metadata === undefined || installer === undefined) throw new Error('installation completed without its session data');
  const isdpAid = progress.earlyResult?.isdpAid ?? isdpAidFor(state.nextIsdpNumber);
  const seqNumber = progress.earlyResult?.seqNumber ?? state.nextSeqNumber;
  const pir = progress.earlyResult ?? successResult(context, isdpAid, seqNumber);
  const profile: ProfileRecord = {
    iccid: metadata.iccid,
    isdpAid,
    profileState: ProfileState.named.disabled,
    serviceProviderName: metadata.serviceProviderName,
    profileName: metadata.profileName,
    ...(metadata.iconType === undefined ? {} : { iconType: metadata.iconType }),
    ...(metadata.icon === undefined ? {} : { icon: metadata.icon }),
    // StoreMetadataRequest (RSPDefinitions): an absent profileClass means operational.
    profileClass: metadata.profileClass ?? ProfileClass.named.operational,
    notificationConfigurationInfo: metadata.notificationConfigurationInfo ?? [],
    ...(metadata.profileOwner === undefined ? {} : { profileOwner: metadata.profileOwner }),
    ...(progress.dpProprietaryData === undefined ? {} : { dpProprietaryData: progress.dpProprietaryData }),
    ...(metadata.profilePolicyRules === undefined ? {} : { profilePolicyRules: metadata.profilePolicyRules }),
    credentialIndex: server.credentialIndex,
    ...installer.installed,
  };
  context.commit({
    ...state,
    profiles: [...state.profiles, profile],
    notifications: [...state.notifications, pir.notification],
    nextSeqNumber: Math.max(state.nextSeqNumber, seqNumber + 1),
    nextIsdpNumber: state.nextIsdpNumber + 1,
  });
  session.clear();
  // Installed: the one-time key has served its package and is not kept for a retry (§5.7.5).
  session.oneTimeKey = undefined;
  return progress.earlyResult === undefined ? pir.der : NO_DATA;
}

function successResult(context: Es10Context, isdpAid: Uint8Array, seqNumber: number): ReturnType<typeof buildInstallationResult> & { isdpAid: Uint8Array; seqNumber: number } {
  const result = resultFor(context, { kind: 'success', isdpAid }, seqNumber);
  return { ...result, isdpAid, seqNumber };
}

/** Quirk: answer a success PIR in the middle of the BPP, as some cards do; the install still completes later. */
function earlyResult(progress: InstallProgress, context: Es10Context): Uint8Array | undefined {
  if (progress.earlyResult !== undefined || context.state.quirks.earlyInstallResultAtPiece !== progress.pieces) return undefined;
  const early = successResult(context, isdpAidFor(context.state.nextIsdpNumber), context.state.nextSeqNumber);
  progress.earlyResult = { der: early.der, notification: early.notification, isdpAid: early.isdpAid, seqNumber: early.seqNumber };
  return early.der;
}

/**
 * A session that ends in the middle of a BPP (card reset, or a new GetEUICCChallenge) still yields an error
 * PIR with installFailedDueToInterruption(11), so the SM-DP+ learns the outcome.
 */
export function recordInterruptedInstallation(context: Es10Context): void {
  const progress = context.session.data.install;
  if (context.session.phase !== 'installing' || progress === undefined) return;
  abort(context, { kind: 'error', bppCommandId: COMMAND_OF_STAGE[progress.stage], errorReason: errorReason.installFailedDueToInterruption }, 'installation interrupted');
}

/** The installation failed: keep only the error PIR (the install notification is always generated). */
function abort(context: Es10Context, result: FinalResult, message: string): Uint8Array {
  // The one place the reason of a refused load shows: the PIR carries only the two numbers.
  const names = result.kind === 'error'
    ? { bppCommandId: nameOfNumber(BppCommandId.named, result.bppCommandId) ?? result.bppCommandId, errorReason: nameOfNumber(ErrorReason.named, result.errorReason) ?? result.errorReason }
    : {};
  context.deps.logger.info({ function: 'LoadBoundProfilePackage', result, ...names, message }, 'profile installation aborted');
  const pir = resultFor(context, result, context.state.nextSeqNumber);
  context.commit({ ...context.state, notifications: [...context.state.notifications, pir.notification], nextSeqNumber: context.state.nextSeqNumber + 1 });
  context.session.clear();
  return pir.der;
}

function resultFor(context: Es10Context, result: FinalResult, seqNumber: number): ReturnType<typeof buildInstallationResult> {
  const { server, download, install } = context.session.data;
  const credential = context.state.credentials[server?.credentialIndex ?? 0];
  if (server === undefined || credential === undefined) throw new Error('no session to report an installation result for');
  return buildInstallationResult({
    transactionId: server.transactionId,
    seqNumber,
    notificationAddress: server.serverAddress,
    iccid: install?.metadata?.iccid,
    smdpOid: download?.smdpOid,
    result,
    credential,
  });
}

