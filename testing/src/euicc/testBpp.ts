// TEST ORACLE — not product code. The test SM-DP+ peer's own Bound Profile Package assembly (SGP.22 v2.2.2
// §2.5.4 layout, §5.5 ES8+ functions, §2.6.4 protection), written apart from sm-dp-plus's ES8+ builder so
// that a card test does not have the same code write and read the package. Only the cryptography is shared:
// key derivation, SCP03t encryption, C-MAC chaining and the segment seal are protocol's BspSession (their one
// home); the layout, the smdpSign TBS and the segmentation are decided here. Where SGP.22 leaves room this
// file deliberately takes the other reading from the SM-DP+'s: the UPP is cut at profile element boundaries
// (each element in its own `86` segments) rather than in fixed 1007-byte chunks — SGP.22 §2.5.5 allows both.
import {
  BoundProfilePackage,
  BspSession,
  ConfigureISDPRequest,
  InitialiseSecureChannelRequest,
  RemoteOpId,
  ReplaceSessionKeysRequest,
  encodeTlv,
  maxEncryptedPlaintextLength,
  maxMacOnlyPlaintextLength,
  rawSignatureLength,
  readTlv,
  tagEncryptedCommandSegment,
  tagMacOnlySegment,
  tagProfileElementSegment,
} from '@zkesim/protocol';

/** What the oracle binds: the transaction, the keys agreed in the download, and the profile. */
export interface TestBppInput {
  readonly transactionId: Uint8Array;
  readonly hostId: Uint8Array;
  /** otPK.DP.ECKA and otPK.EUICC.ECKA, uncompressed points. */
  readonly smdpOtpk: Uint8Array;
  readonly euiccOtpk: Uint8Array;
  /** ECDSA with SK.DPpb, raw r‖s. */
  readonly sign: (tbs: Uint8Array) => Uint8Array;
  /** The session from the KDF over ShS (§2.6.4.2); its counter and MAC chaining value advance. */
  readonly session: BspSession;
  /** StoreMetadataRequest (BF25) DER. */
  readonly storeMetadata: Uint8Array;
  /** Unprotected SAIP DER: the profile elements one after the other. */
  readonly upp: Uint8Array;
  readonly dpOid?: string;
  /** §5.5.3 profile protection keys: when given, the 86 segments are protected with them. */
  readonly ppk?: { readonly ppkEnc: Uint8Array; readonly ppkCmac: Uint8Array; readonly initialMacChainingValue: Uint8Array };
}

/** The BoundProfilePackage (BF36) DER. */
export function testBoundProfilePackage(input: TestBppInput): Uint8Array {
  const { session } = input;
  // The BPP fields are SEQUENCE OF [n] OCTET STRING: each holds the segment's value (payload‖C-MAC), the
  // `86`/`87`/`88` tag coming from the field's implicit tag.
  const valueOf = (segment: Uint8Array): Uint8Array => readTlv(segment).value;

  // §5.5.2 ConfigureISDP: one 87 segment.
  const configureIsdp = ConfigureISDPRequest.encode(input.dpOid === undefined ? {} : { dpProprietaryData: { dpOid: input.dpOid } });
  const firstSequenceOf87 = [valueOf(session.protectEncrypted(tagEncryptedCommandSegment, configureIsdp))];

  // §5.5.4 StoreMetadata: MAC-only 88 segments of at most 1008 bytes.
  const sequenceOf88: Uint8Array[] = [];
  for (let at = 0; at < input.storeMetadata.length; at += maxMacOnlyPlaintextLength) {
    sequenceOf88.push(valueOf(session.protectMacOnly(tagMacOnlySegment, input.storeMetadata.subarray(at, at + maxMacOnlyPlaintextLength))));
  }

  // §5.5.3 ReplaceSessionKeys, protected with the session keys; what follows uses the PPKs, counter from 1.
  let secondSequenceOf87: Uint8Array[] | undefined;
  if (input.ppk !== undefined) {
    const request = ReplaceSessionKeysRequest.encode({ initialMacChainingValue: input.ppk.initialMacChainingValue, ppkEnc: input.ppk.ppkEnc, ppkCmac: input.ppk.ppkCmac });
    secondSequenceOf87 = [valueOf(session.protectEncrypted(tagEncryptedCommandSegment, request))];
    session.replaceSessionKeys(input.ppk.ppkEnc, input.ppk.ppkCmac, input.ppk.initialMacChainingValue);
  }

  // §5.5.5 LoadProfileElements: each profile element in its own 86 segment(s).
  const sequenceOf86: Uint8Array[] = [];
  for (let offset = 0; offset < input.upp.length; ) {
    const element = readTlv(input.upp, offset);
    for (let at = 0; at < element.tlv.length; at += maxEncryptedPlaintextLength) {
      sequenceOf86.push(valueOf(session.protectEncrypted(tagProfileElementSegment, element.tlv.subarray(at, at + maxEncryptedPlaintextLength))));
    }
    offset = element.end;
  }

  return BoundProfilePackage.encode({
    initialiseSecureChannelRequest: initialiseSecureChannel(input),
    firstSequenceOf87,
    sequenceOf88,
    ...(secondSequenceOf87 === undefined ? {} : { secondSequenceOf87 }),
    sequenceOf86,
  });
}

/**
 * §5.5.1 InitialiseSecureChannelRequest. smdpSign covers the request's data objects other than smdpSign
 * itself (remoteOpId, transactionId, controlRefTemplate, smdpOtpk) followed by the `5F49` data object of
 * otPK.EUICC.ECKA; the data objects are read back from an encoding so the TBS is the bytes the card receives.
 */
function initialiseSecureChannel(input: TestBppInput): InitialiseSecureChannelRequest {
  const request: InitialiseSecureChannelRequest = {
    remoteOpId: RemoteOpId.named.installBoundProfilePackage,
    transactionId: input.transactionId,
    controlRefTemplate: { keyType: Uint8Array.of(0x88), keyLen: Uint8Array.of(0x10), hostId: input.hostId },
    smdpOtpk: input.smdpOtpk,
    smdpSign: new Uint8Array(rawSignatureLength),
  };
  const content = readTlv(InitialiseSecureChannelRequest.encode(request)).value;
  const signed: Uint8Array[] = [];
  for (let offset = 0; offset < content.length; ) {
    const dataObject = readTlv(content, offset);
    if (dataObject.tag !== 0x5f37) signed.push(dataObject.tlv);
    offset = dataObject.end;
  }
  signed.push(encodeTlv(0x5f49, input.euiccOtpk));
  const tbs = new Uint8Array(signed.reduce((sum, part) => sum + part.length, 0));
  signed.reduce((at, part) => (tbs.set(part, at), at + part.length), 0);
  return { ...request, smdpSign: input.sign(tbs) };
}
