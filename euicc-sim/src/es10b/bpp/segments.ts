// The protected pieces of a BPP after BF23 (SGP.22 §2.5.4/§5.5): ConfigureISDP ('87' in A0), StoreMetadata
// ('88' segments after the A1 header), ReplaceSessionKeys ('87' in A2) and the profile elements ('86'
// segments after the A3 header), each verified and decrypted with the BSP session in order.
import {
  Asn1DecodeError,
  BspMacError,
  BspStructureError,
  ConfigureISDPRequest,
  DpProprietaryData,
  ReplaceSessionKeysRequest,
  StoreMetadataRequest,
  authoriseProfilePolicyRules,
  bytesEqual,
  readTlv,
  splitTlvs,
  type Codec,
  type Tlv,
} from '@zkesim/protocol';
import { readTlvHeader } from '../../core/berHeader.js';
import { bppCommandId, errorReason, InstallError, type InstallProgress } from '../../core/installation.js';
import { ProfileElementInstaller } from '../../core/profileElements.js';
import { rulesAuthorisationTable } from '../../core/rat.js';
import type { EuiccState } from '../../core/state.js';

/** Verifies and decrypts one segment; BSP failures become the SGP.22 scp03t error reasons. */
function unprotect(progress: InstallProgress, segment: Uint8Array, expectedTag: number, command: number): Uint8Array {
  if (segment[0] !== expectedTag) throw new InstallError(`segment tag ${segment[0]?.toString(16)} where ${expectedTag.toString(16)} is expected`, command, errorReason.scp03tStructureError);
  try {
    return progress.bsp.unprotect(segment).plaintext;
  } catch (error) {
    if (error instanceof BspMacError) throw new InstallError(error.message, command, errorReason.scp03tSecurityError, { cause: error });
    if (error instanceof BspStructureError) throw new InstallError(error.message, command, errorReason.scp03tStructureError, { cause: error });
    throw error;
  }
}

function wholeTlv(piece: Uint8Array, command: number): Tlv {
  try {
    const tlv = readTlv(piece);
    if (tlv.end !== piece.length) throw new InstallError('bytes after the BPP piece', command, errorReason.scp03tStructureError);
    return tlv;
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw new InstallError(`BPP piece: ${error.message}`, command, errorReason.scp03tStructureError, { cause: error });
    throw error;
  }
}

/** The TLVs of a sequence's value; a malformed one is a structure error of `command`. */
function segmentsOf(value: Uint8Array, command: number): Tlv[] {
  try {
    return splitTlvs(value);
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw new InstallError(`BPP segments: ${error.message}`, command, errorReason.scp03tStructureError, { cause: error });
    throw error;
  }
}

function decodeCommand<T>(codec: Codec<T>, bytes: Uint8Array, command: number): T {
  try {
    return codec.decode(bytes);
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw new InstallError(`${codec.typeName}: ${error.message}`, command, errorReason.incorrectInputValues, { cause: error });
    throw error;
  }
}

/** Piece 2: A0 with the '87' segment(s) of ConfigureISDPRequest (BF24). */
export function configureIsdp(progress: InstallProgress, piece: Uint8Array): void {
  const command = bppCommandId.configureISDP;
  const plaintext = segmentsOf(wholeTlv(piece, command).value, command).flatMap((segment) => [...unprotect(progress, segment.tlv, 0x87, command)]);
  const request = decodeCommand(ConfigureISDPRequest, Uint8Array.from(plaintext), command);
  if (request.dpProprietaryData !== undefined) progress.dpProprietaryData = DpProprietaryData.encode(request.dpProprietaryData);
  progress.stage = 'metadataHeader';
}

/** Piece 3: the A1 header; LPAs that send A1 whole get its '88' segments processed too. */
export function startMetadata(progress: InstallProgress, piece: Uint8Array): void {
  progress.stage = 'metadata';
  const header = readTlvHeader(piece);
  for (const segment of segmentsOf(piece.subarray(header.headerLength), bppCommandId.storeMetadata)) addMetadataSegment(progress, segment.tlv);
}

export function addMetadataSegment(progress: InstallProgress, piece: Uint8Array): void {
  const command = bppCommandId.storeMetadata;
  progress.metadataParts.push(unprotect(progress, wholeTlv(piece, command).tlv, 0x88, command));
}

/** Decodes StoreMetadataRequest (BF25) from the '88' plaintexts once the next command starts. */
function finishMetadata(progress: InstallProgress, state: EuiccState): void {
  const command = bppCommandId.storeMetadata;
  if (progress.metadata !== undefined) return;
  if (progress.metadataParts.length === 0) throw new InstallError('no StoreMetadata segment', command, errorReason.scp03tStructureError);
  const metadata = decodeCommand(StoreMetadataRequest, Uint8Array.from(progress.metadataParts.flatMap((part) => [...part])), command);
  if (state.profiles.some((profile) => bytesEqual(profile.iccid, metadata.iccid))) {
    throw new InstallError('a profile with this ICCID is installed', command, errorReason.installFailedDueToIccidAlreadyExistsOnEuicc);
  }
  const policy = authoriseProfilePolicyRules(metadata, rulesAuthorisationTable(state.quirks));
  if (!policy.allowed) throw new InstallError(`the Rules Authorisation Table does not grant ${policy.refused ?? 'the policy rules'} to the profile owner`, command, errorReason.pprNotAllowed);
  progress.metadata = metadata;
}

/** Optional A2: ReplaceSessionKeysRequest (BF26); from now on the PPK keys protect the '86' segments. */
export function replaceSessionKeys(progress: InstallProgress, piece: Uint8Array, state: EuiccState): void {
  finishMetadata(progress, state);
  const command = bppCommandId.replaceSessionKeys;
  const plaintext = segmentsOf(wholeTlv(piece, command).value, command).flatMap((segment) => [...unprotect(progress, segment.tlv, 0x87, command)]);
  const request = decodeCommand(ReplaceSessionKeysRequest, Uint8Array.from(plaintext), command);
  progress.bsp.replaceSessionKeys(request.ppkEnc, request.ppkCmac, request.initialMacChainingValue);
  progress.stage = 'sessionKeysReplaced';
}

/** The A3 header: announces the length of all '86' segments that follow. */
export function startProfileElements(progress: InstallProgress, piece: Uint8Array, state: EuiccState, freeMemory: number): boolean {
  finishMetadata(progress, state);
  const header = readTlvHeader(piece);
  const metadata = progress.metadata;
  if (metadata === undefined) throw new InstallError('no StoreMetadata', bppCommandId.storeMetadata, errorReason.scp03tStructureError);
  progress.installer = new ProfileElementInstaller(metadata.iccid, freeMemory);
  progress.remainingProfileBytes = header.length;
  progress.stage = 'profileElements';
  let finished = false;
  for (const segment of segmentsOf(piece.subarray(header.headerLength), bppCommandId.loadProfileElements)) finished = addProfileElementSegment(progress, segment.tlv);
  return finished;
}

/** One '86' segment; returns true when it was the last one of sequenceOf86. */
export function addProfileElementSegment(progress: InstallProgress, piece: Uint8Array): boolean {
  const command = bppCommandId.loadProfileElements;
  const tlv = wholeTlv(piece, command);
  progress.remainingProfileBytes -= tlv.tlv.length;
  if (progress.remainingProfileBytes < 0) throw new InstallError('more 86 segments than sequenceOf86 announced', command, errorReason.scp03tStructureError);
  const installer = progress.installer;
  if (installer === undefined) throw new InstallError('86 segment before the A3 header', command, errorReason.scp03tStructureError);
  installer.add(unprotect(progress, tlv.tlv, 0x86, command));
  if (progress.remainingProfileBytes > 0) return false;
  installer.finish();
  return true;
}
