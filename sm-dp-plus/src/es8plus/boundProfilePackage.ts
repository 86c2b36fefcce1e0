// ES8+ Bound Profile Package construction (SGP.22 v2.2.2 §2.5.4 layout, §5.5 ES8+ functions, §2.6.4
// protection). The BSP itself (KDF, SCP03t encryption, MAC chaining, segment size)
// is protocol's BspSession, shared with the eUICC; this file only decides what goes into which segment.
import {
  BoundProfilePackage, BspSession, ConfigureISDPRequest, InitialiseSecureChannelRequest, RemoteOpId, ReplaceSessionKeysRequest,
  protectProfileElements, protectStoreMetadata, rawSignatureLength, readTlv, smdpSignTbs, tagEncryptedCommandSegment,
} from '@zkesim/protocol';

/** Profile protection keys for ReplaceSessionKeys (§5.5.3), when the profile is pre-protected. */
export interface ProfileProtectionKeys {
  ppkEnc: Uint8Array;
  ppkCmac: Uint8Array;
  initialMacChainingValue: Uint8Array;
}

export interface BoundProfilePackageInput {
  transactionId: Uint8Array;
  /** hostId of the CRT, 1..16 bytes (§2.6.4.2 SharedInfo). */
  hostId: Uint8Array;
  /** otPK.DP.ECKA, uncompressed point. */
  smdpOtpk: Uint8Array;
  /** otPK.EUICC.ECKA from euiccSigned2. */
  euiccOtpk: Uint8Array;
  /** ECDSA with SK.DPpb, raw r‖s. */
  signWithDpPb: (data: Uint8Array) => Uint8Array;
  /** Session keys from the KDF over the ECKA shared secret; consumed (counters advance). */
  session: BspSession;
  /** The StoreMetadataRequest (BF25) exactly as sent in AuthenticateClient's profileMetadata. */
  storeMetadata: Uint8Array;
  /** The personalised UPP (concatenated profile elements). */
  upp: Uint8Array;
  /** The SM-DP+ OID for ConfigureISDP's DpProprietaryData, if the SM-DP+ sets it. */
  dpOid?: string;
  profileProtectionKeys?: ProfileProtectionKeys;
}

const smdpSignDataObjectLength = 3 + rawSignatureLength;

/** Builds the DER of the BoundProfilePackage (BF36). */
export function buildBoundProfilePackage(input: BoundProfilePackageInput): Uint8Array {
  const initialiseSecureChannelRequest = signedInitialiseSecureChannel(input);
  const configureIsdp = ConfigureISDPRequest.encode(input.dpOid === undefined ? {} : { dpProprietaryData: { dpOid: input.dpOid } });
  const firstSequenceOf87 = [segmentValue(input.session.protectEncrypted(tagEncryptedCommandSegment, configureIsdp))];
  const sequenceOf88 = protectStoreMetadata(input.session, input.storeMetadata).map(segmentValue);
  let secondSequenceOf87: Uint8Array[] | undefined;
  const ppk = input.profileProtectionKeys;
  if (ppk !== undefined) {
    const replace = ReplaceSessionKeysRequest.encode(ppk);
    secondSequenceOf87 = [segmentValue(input.session.protectEncrypted(tagEncryptedCommandSegment, replace))];
    // §5.5.3: the profile elements that follow are protected with the PPKs, counter restarting at 1.
    input.session.replaceSessionKeys(ppk.ppkEnc, ppk.ppkCmac, ppk.initialMacChainingValue);
  }
  const sequenceOf86 = protectProfileElements(input.session, input.upp).map(segmentValue);
  return BoundProfilePackage.encode({
    initialiseSecureChannelRequest,
    firstSequenceOf87,
    sequenceOf88,
    ...(secondSequenceOf87 === undefined ? {} : { secondSequenceOf87 }),
    sequenceOf86,
  });
}

/**
 * The package of an earlier binding for a retry in a new session (SGP.22 v2.2.2 §3.1.3, §5.6.2): the eUICC
 * reused its otPK.EUICC.ECKA (bppEuiccOtpk), so the session keys and every protected segment stay valid;
 * only InitialiseSecureChannel, which names the transaction, is made again for the new transactionId and
 * signed again. otSK.DP.ECKA is not needed (otPK.DP.ECKA is taken from the stored package).
 */
export function rebindBoundProfilePackage(
  stored: Uint8Array,
  input: Pick<BoundProfilePackageInput, 'transactionId' | 'euiccOtpk' | 'signWithDpPb'>,
): Uint8Array {
  const bpp = BoundProfilePackage.decode(stored);
  const previous = bpp.initialiseSecureChannelRequest;
  const initialiseSecureChannelRequest = signedInitialiseSecureChannel({
    ...input,
    hostId: previous.controlRefTemplate.hostId,
    smdpOtpk: previous.smdpOtpk,
  });
  return BoundProfilePackage.encode({ ...bpp, initialiseSecureChannelRequest });
}

/**
 * InitialiseSecureChannelRequest with smdpSign. TBS (§5.5.1): the BF23 value up to,
 * not including, smdpSign, followed by the `5F49` DO of otPK.EUICC.ECKA. The prefix is taken from the
 * encoding itself, so it is exactly the bytes the eUICC will receive.
 */
function signedInitialiseSecureChannel(input: Pick<BoundProfilePackageInput, 'transactionId' | 'hostId' | 'smdpOtpk' | 'euiccOtpk' | 'signWithDpPb'>): InitialiseSecureChannelRequest {
  const unsigned: InitialiseSecureChannelRequest = {
    remoteOpId: RemoteOpId.named.installBoundProfilePackage,
    transactionId: input.transactionId,
    controlRefTemplate: { keyType: Uint8Array.of(0x88), keyLen: Uint8Array.of(0x10), hostId: input.hostId },
    smdpOtpk: input.smdpOtpk,
    smdpSign: new Uint8Array(rawSignatureLength),
  };
  const value = readTlv(InitialiseSecureChannelRequest.encode(unsigned)).value;
  const signedPart = value.subarray(0, value.length - smdpSignDataObjectLength);
  return { ...unsigned, smdpSign: input.signWithDpPb(smdpSignTbs(signedPart, input.euiccOtpk)) };
}

/** The value of a protected segment TLV (`86`/`87`/`88` L payload‖C-MAC): the BPP fields hold it untagged. */
function segmentValue(segment: Uint8Array): Uint8Array {
  return readTlv(segment).value;
}
