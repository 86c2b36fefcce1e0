// Installation of the SAIP profile elements carried in the '86' segments (SGP.22 §2.5.5, SAIP §8): PEs arrive
// as a byte stream cut at arbitrary points, so complete TLVs are taken off a buffer as they become whole.
import {
  ErrorReason, ProfileElement, SUBSCRIBER_IDENTITY_ISSUER_ID, SubscriberIdentityInvalid, decodeSubscriberIdentityToken, profileHeaderIccidMatches,
  type PEStatus,
} from '@zkesim/protocol';
import { readTlvHeader, TlvHeaderError } from './berHeader.js';
import type { NetworkAccessParameters, NonStandardElement } from './state.js';

/** SAIP ProfileHeader major versions this eUICC installs (SAIP 2.x and 3.x share the PE encoding used here). */
const SUPPORTED_MAJOR_VERSIONS = new Set([2, 3]);

/** SAIP EUICCResponse PEStatus values used on failure. */
const peStatus = { peNotSupported: 1, badValues: 3, notEnoughMemory: 4, invalidRequestFormat: 5, unsupportedProfileVersion: 31 } as const;

/** Why the PEs were refused; errorReason is the SGP.22 ErrorReason of the PIR. */
export class ProfileElementError extends Error {
  override readonly name = 'ProfileElementError';
  constructor(
    message: string,
    readonly errorReason: number,
    readonly status: PEStatus,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}


export class ProfileElementInstaller {
  private buffer: Uint8Array = new Uint8Array(0);
  private readonly elements: Uint8Array[] = [];
  private readonly nonStandard: NonStandardElement[] = [];
  private network: { imsi?: Uint8Array; akaAlgorithmId?: number } = {};
  private size = 0;
  private headerSeen = false;
  private endSeen = false;

  constructor(
    private readonly iccid: Uint8Array,
    private readonly memoryLimit: number,
  ) {}

  get complete(): boolean {
    return this.endSeen;
  }

  get installed(): { profileElements: Uint8Array[]; nonStandardElements: NonStandardElement[]; networkAccess: NetworkAccessParameters; memorySize: number } {
    return { profileElements: [...this.elements], nonStandardElements: [...this.nonStandard], networkAccess: { ...this.network }, memorySize: this.size };
  }

  /** Adds decrypted '86' plaintext and installs every PE that is now complete. */
  add(plaintext: Uint8Array): void {
    const joined = new Uint8Array(this.buffer.length + plaintext.length);
    joined.set(this.buffer);
    joined.set(plaintext, this.buffer.length);
    let offset = 0;
    while (offset < joined.length) {
      const end = this.completeTlvEnd(joined, offset);
      if (end === undefined) break;
      this.install(joined.slice(offset, end));
      offset = end;
    }
    this.buffer = joined.slice(offset);
  }

  /** Called after the last segment: the UPP must have ended with PE-End and nothing left over. */
  finish(): void {
    if (!this.endSeen || this.buffer.length > 0) {
      throw this.failure('the profile package ends without a complete PE-End', ErrorReason.named.installFailedDueToPEProcessingError, peStatus.invalidRequestFormat);
    }
  }

  private install(tlv: Uint8Array): void {
    if (this.endSeen) throw this.failure('profile element after PE-End', ErrorReason.named.installFailedDueToPEProcessingError, peStatus.invalidRequestFormat);
    this.size += tlv.length;
    // SGP.22 §2.5.5: the eUICC refuses the profile as soon as it no longer fits.
    if (this.size > this.memoryLimit) {
      throw this.failure(`profile needs more than the ${this.memoryLimit} bytes free`, ErrorReason.named.installFailedDueToInsufficientMemoryForProfile, peStatus.notEnoughMemory);
    }
    let element: ProfileElement;
    try {
      element = ProfileElement.decode(tlv);
    } catch (error) {
      throw this.failure(`profile element ${this.elements.length + 1} does not decode`, ErrorReason.named.installFailedDueToPEProcessingError, peStatus.invalidRequestFormat, error);
    }
    if (!this.headerSeen && !('header' in element)) {
      throw this.failure('the first profile element is not the ProfileHeader', ErrorReason.named.installFailedDueToPEProcessingError, peStatus.invalidRequestFormat);
    }
    this.apply(element);
    this.elements.push(tlv);
  }

  /**
   * The project's subscriber identity (protocol/asn1/ZkesimIdentity.asn): this eUICC knows the issuerID, so
   * content it cannot read, or a second identity, refuses the profile rather than install an identity the
   * LPA could never use (SAIP PEStatus badValues).
   */
  private checkSubscriberIdentity(content: Uint8Array): void {
    if (this.nonStandard.some((element) => element.issuerID === SUBSCRIBER_IDENTITY_ISSUER_ID)) {
      throw this.failure('a second subscriber identity PE-NonStandard', ErrorReason.named.installFailedDueToPEProcessingError, peStatus.badValues);
    }
    try {
      decodeSubscriberIdentityToken(content);
    } catch (error) {
      if (error instanceof SubscriberIdentityInvalid) throw this.failure(`subscriber identity PE-NonStandard: ${error.message}`, ErrorReason.named.installFailedDueToPEProcessingError, peStatus.badValues, error);
      throw error;
    }
  }

  private apply(element: ProfileElement): void {
    if ('header' in element) {
      if (this.headerSeen) throw this.failure('a second ProfileHeader', ErrorReason.named.installFailedDueToPEProcessingError, peStatus.invalidRequestFormat);
      this.headerSeen = true;
      if (!SUPPORTED_MAJOR_VERSIONS.has(element.header['major-version'])) {
        throw this.failure(`SAIP version ${element.header['major-version']} not supported`, ErrorReason.named.installFailedDueToPEProcessingError, peStatus.unsupportedProfileVersion);
      }
      // SGP.22 §2.5.5 / §5.7.6: StoreMetadata and the ProfileHeader must name the same ICCID. Compared as
      // digits: GSMA TS.48 packages (and SM-DP+s serving them) write the header in plain digit order, while
      // StoreMetadata's Iccid is in EF.ICCID order.
      if (!profileHeaderIccidMatches(element.header.iccid, this.iccid)) {
        throw this.failure('ProfileHeader ICCID differs from StoreMetadata', ErrorReason.named.installFailedDueToIccidMismatch, peStatus.badValues);
      }
    } else if ('nonStandard' in element) {
      // SAIP: unknown non-standard content is kept as is; a mandated one this eUICC cannot interpret is refused.
      if (element.nonStandard['nonStandard-header'].mandated !== undefined) {
        throw this.failure(`mandated PE-NonStandard ${element.nonStandard.issuerID} not supported`, ErrorReason.named.installFailedDueToPEProcessingError, peStatus.peNotSupported);
      }
      if (element.nonStandard.issuerID === SUBSCRIBER_IDENTITY_ISSUER_ID) this.checkSubscriberIdentity(element.nonStandard.content);
      this.nonStandard.push({ issuerID: element.nonStandard.issuerID, content: element.nonStandard.content });
    } else if ('akaParameter' in element) {
      const configuration = element.akaParameter.algoConfiguration;
      if ('algoParameter' in configuration) this.network = { ...this.network, akaAlgorithmId: configuration.algoParameter.algorithmID };
    } else if ('usim' in element) {
      const content = element.usim['ef-imsi'].find((part) => 'fillFileContent' in part);
      if (content !== undefined && 'fillFileContent' in content) this.network = { ...this.network, imsi: content.fillFileContent };
    } else if ('end' in element) {
      this.endSeen = true;
    }
  }

  /** End offset of the TLV at `offset` if it is complete in `bytes`, else undefined (more data needed). */
  private completeTlvEnd(bytes: Uint8Array, offset: number): number | undefined {
    try {
      const header = readTlvHeader(bytes, offset);
      const end = offset + header.headerLength + header.length;
      return end <= bytes.length ? end : undefined;
    } catch (error) {
      if (!(error instanceof TlvHeaderError)) throw error;
      if (error.truncated) return undefined;
      throw this.failure(`profile element header: ${error.message}`, ErrorReason.named.installFailedDueToPEProcessingError, peStatus.invalidRequestFormat, error);
    }
  }

  private failure(message: string, reason: number, status: number, cause?: unknown): ProfileElementError {
    return new ProfileElementError(message, reason, { status, identification: this.elements.length + 1 }, cause === undefined ? undefined : { cause });
  }
}

