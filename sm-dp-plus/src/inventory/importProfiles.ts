// Profile inventory import: each SAIP file becomes a template (profile type = file name
// without extension) and `count` profiles with their own ICCID, IMSI, Ki and OPc. Files are handed in
// as bytes by the CLI adapter; nothing here reads the disk.
import { Asn1DecodeError, iccidDigits, iccidFromProfileHeader, iccidWithCheckDigit, type Clock, type RandomSource, type IccidDigits } from '@zkesim/protocol';
import type { InventoryTransaction, Transactional } from '../core/repository.js';
import { TemplateError, decodeProfileElements, personaliseProfile, templateServiceProviderName } from './personalise.js';

export interface TemplateFile {
  name: string;
  bytes: Uint8Array;
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
  count: number,
): Promise<ImportResult[]> {
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
      while (iccids.length < count) {
        serial += 1;
        const iccid = iccidWithCheckDigit(`${prefix}${String(serial).padStart(6, '0')}`);
        if ((await tx.getProfile(iccid)) !== undefined) continue;
        await tx.insertProfile(
          {
            iccid,
            profileType,
            state: 'available',
            imsi: `${testNetworkImsiPrefix}${String(serial).padStart(10, '0')}`,
            ki: deps.random.bytes(16),
            opc: deps.random.bytes(16),
          },
          deps.clock.now(),
        );
        iccids.push(iccid);
      }
      return iccids;
    });
    results.push({ profileType, created });
  }
  return results;
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
