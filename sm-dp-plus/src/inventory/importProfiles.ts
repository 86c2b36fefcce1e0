// Profile inventory import: each SAIP file becomes a template (profile type = file name
// without extension) and profiles with their own ICCID, IMSI, Ki and OPc: `count` of them with ICCIDs
// numbered from the template's, or exactly the ICCIDs the operator chose; optionally each with the
// operator's profile metadata (inventory/profileMetadata.ts). Files are handed in as bytes by the CLI
// adapter; nothing here reads the disk.
import { Asn1DecodeError, iccidDigits, iccidFromProfileHeader, iccidWithCheckDigit, type Clock, type RandomSource, type IccidDigits } from '@zkesim/protocol';
import type { InventoryTransaction, ProfileMetadata, Transactional } from '../core/repository.js';
import { TemplateError, decodeProfileElements, personaliseProfile, templateServiceProviderName } from './personalise.js';

export interface TemplateFile {
  name: string;
  bytes: Uint8Array;
}

/** What to create from each template. */
export interface ImportOptions {
  /** Profiles with generated ICCIDs (ignored when `iccids` is given). */
  count?: number;
  /** The operator's ICCIDs, created as given (one template only); each validated as an ICCID (ITU-T E.118). */
  iccids?: readonly string[];
  /** Metadata every created profile gets, already checked by parseProfileMetadata. */
  metadata?: ProfileMetadata;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

export interface ImportResult {
  profileType: string;
  created: IccidDigits[];
}

/** MCC 001 / MNC 01 is the ITU-T test network; IMSIs of the demo inventory live there. */
const testNetworkImsiPrefix = '00101';

export async function importProfiles(
  deps: { repository: Transactional<InventoryTransaction>; random: RandomSource; clock: Clock },
  files: readonly TemplateFile[],
  what: number | ImportOptions,
): Promise<ImportResult[]> {
  const options: ImportOptions = typeof what === 'number' ? { count: what } : what;
  const chosen = options.iccids === undefined ? undefined : chosenIccids(options.iccids);
  if (chosen !== undefined && files.length !== 1) throw new ImportError(`chosen ICCIDs go with exactly one template file, not ${files.length}`);
  const count = options.count ?? 0;
  const results: ImportResult[] = [];
  for (const file of files) {
    const profileType = file.name.replace(/\.[^.]*$/, '');
    const header = templateHeader(file);
    const prefix = header.iccid.slice(0, 12);
    const created = await deps.repository.transaction(async (tx) => {
      await tx.putProfileTemplate({
        profileType,
        upp: file.bytes,
        source: file.name,
        serviceProviderName: header.serviceProviderName ?? 'zkesim',
        profileName: header.profileName ?? profileType,
      });
      const iccids: IccidDigits[] = [];
      let serial = await tx.countProfiles();
      const insert = async (iccid: IccidDigits): Promise<void> => {
        await tx.insertProfile(
          {
            iccid,
            profileType,
            state: 'available',
            imsi: `${testNetworkImsiPrefix}${String(serial).padStart(10, '0')}`,
            ki: deps.random.bytes(16),
            opc: deps.random.bytes(16),
            ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
          },
          deps.clock.now(),
        );
        iccids.push(iccid);
      };
      if (chosen !== undefined) {
        for (const [index, iccid] of chosen.entries()) {
          if ((await tx.getProfile(iccid)) !== undefined) throw new ImportError(`iccids[${index}]: a profile with ICCID ${iccid} exists already`);
          serial += 1;
          await insert(iccid);
        }
        return iccids;
      }
      while (iccids.length < count) {
        serial += 1;
        const iccid = iccidWithCheckDigit(`${prefix}${String(serial).padStart(6, '0')}`);
        if ((await tx.getProfile(iccid)) !== undefined) continue;
        await insert(iccid);
      }
      return iccids;
    });
    results.push({ profileType, created });
  }
  return results;
}

/** The operator's ICCIDs, each validated (its place in the list named on error), none twice. */
function chosenIccids(texts: readonly string[]): IccidDigits[] {
  const seen = new Set<string>();
  return texts.map((text, index) => {
    const iccid = iccidDigits(String(text), `iccids[${index}]`);
    if (seen.has(iccid)) throw new ImportError(`iccids[${index}]: ${iccid} is given twice`);
    seen.add(iccid);
    return iccid;
  });
}

/** Checks that the file is a usable template and returns its header data. */
function templateHeader(file: TemplateFile): { iccid: string; profileName?: string; serviceProviderName?: string } {
  try {
    const [first] = decodeProfileElements(file.bytes);
    if (first === undefined || !('header' in first)) throw new TemplateError('the first profile element is not a ProfileHeader');
    // Personalising once with dummy values proves the template has everything personalisation needs.
    personaliseProfile(file.bytes, {
      iccid: iccidDigits('8900000000000000000'),
      imsi: '001010000000000',
      ki: new Uint8Array(16),
      opc: new Uint8Array(16),
    });
    const iccid = iccidFromProfileHeader(first.header.iccid);
    const serviceProviderName = templateServiceProviderName(file.bytes);
    return {
      iccid,
      ...(first.header.profileType === undefined ? {} : { profileName: first.header.profileType }),
      ...(serviceProviderName === undefined ? {} : { serviceProviderName }),
    };
  } catch (error) {
    if (error instanceof TemplateError || error instanceof Asn1DecodeError) {
      throw new TemplateError(`${file.name}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
