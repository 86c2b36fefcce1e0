// Progress of one LoadBoundProfilePackage (SGP.22 §5.7.6, §2.5.4): the pieces of the BPP arrive as separate
// STORE DATA sequences in a fixed order (§2.5.5). The order is a table, as for the session: a piece
// out of order aborts the installation.
import { BppCommandId, ErrorReason, type BspSession, type StoreMetadataRequest } from '@zkesim/protocol';
import type { ProfileElementInstaller } from './profileElements.js';
import type { NotificationRecord } from './state.js';

/** Which piece the eUICC expects next. */
export type InstallStage = 'configureIsdp' | 'metadataHeader' | 'metadata' | 'sessionKeysReplaced' | 'profileElements';

/** Piece kinds by their leading tag. */
export type PieceKind = 'initialiseSecureChannel' | 'firstSequenceOf87' | 'sequenceOf88Header' | 'metadataSegment' | 'secondSequenceOf87' | 'sequenceOf86Header' | 'profileElementSegment';

export const PIECE_OF_TAG: ReadonlyMap<number, PieceKind> = new Map<number, PieceKind>([
  [0xbf36, 'initialiseSecureChannel'],
  [0xa0, 'firstSequenceOf87'],
  [0xa1, 'sequenceOf88Header'],
  [0x88, 'metadataSegment'],
  [0xa2, 'secondSequenceOf87'],
  [0xa3, 'sequenceOf86Header'],
  [0x86, 'profileElementSegment'],
]);

/** Allowed pieces per stage (BoundProfilePackage field order, ASN.1 in rsp.asn). */
export const ALLOWED_PIECES: Readonly<Record<InstallStage, readonly PieceKind[]>> = {
  configureIsdp: ['firstSequenceOf87'],
  metadataHeader: ['sequenceOf88Header'],
  metadata: ['metadataSegment', 'secondSequenceOf87', 'sequenceOf86Header'],
  sessionKeysReplaced: ['sequenceOf86Header'],
  profileElements: ['profileElementSegment'],
};

/** SGP.22 BppCommandId (which BPP command failed), named as in RSPDefinitions. */
export const bppCommandId = BppCommandId.named;

/** The command a stage belongs to, for the PIR of a failure in that stage. */
export const COMMAND_OF_STAGE: Readonly<Record<InstallStage, number>> = {
  configureIsdp: bppCommandId.configureISDP,
  metadataHeader: bppCommandId.storeMetadata,
  metadata: bppCommandId.storeMetadata,
  sessionKeysReplaced: bppCommandId.replaceSessionKeys,
  profileElements: bppCommandId.loadProfileElements,
};

export interface InstallProgress {
  stage: InstallStage;
  readonly bsp: BspSession;
  /** LoadBoundProfilePackage pieces received so far (for the early-result quirk). */
  pieces: number;
  dpProprietaryData?: Uint8Array;
  readonly metadataParts: Uint8Array[];
  metadata?: StoreMetadataRequest;
  /** Bytes of sequenceOf86 still to come; the installation completes when it reaches 0. */
  remainingProfileBytes: number;
  installer?: ProfileElementInstaller;
  /** PIR already sent by the early-result quirk, with its seqNumber and ISD-P AID. */
  earlyResult?: { readonly der: Uint8Array; readonly notification: NotificationRecord; readonly seqNumber: number; readonly isdpAid: Uint8Array };
}

/** A failure that ends the installation with an error PIR. */
export class InstallError extends Error {
  override readonly name = 'InstallError';
  constructor(
    message: string,
    readonly bppCommandId: number,
    readonly errorReason: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SGP.22 ErrorReason of a failed installation, named as in RSPDefinitions. */
export const errorReason = ErrorReason.named;
