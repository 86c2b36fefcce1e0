// Profile inventory import: each SAIP file becomes a template (profile type = file name
// without extension) and `count` profiles with their own ICCID, IMSI, Ki and OPc. Files are handed in
// as bytes by the CLI adapter; nothing here reads the disk.
import { Asn1DecodeError } from '@zkesim/protocol';
import type { Clock, RandomSource } from '../core/deps.js';
import { iccidDigits, iccidFromBytes, type IccidDigits } from '../core/identifiers.js';
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
        const iccid = withLuhn(`${prefix}${String(serial).padStart(6, '0')}`);
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
    const iccid = iccidFromRaw(first.header.iccid);
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

/**
 * SPEC-AMBIGUITY: public SAIP test files store the header ICCID in plain digit order, not EF.ICCID's
 * swapped order (as the GSMA TS.48 profiles do); we only take its issuer prefix, so we accept whichever reads as 89….
 */
function iccidFromRaw(bytes: Uint8Array): string {
  const plain = Buffer.from(bytes).toString('hex').replace(/f+$/i, '');
  if (/^89\d{16,18}$/.test(plain)) return plain;
  return iccidFromBytes(bytes);
}

/** Appends the Luhn check digit (ITU-T E.118). */
export function withLuhn(digits: string): IccidDigits {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return iccidDigits(`${digits}${(10 - (sum % 10)) % 10}`);
}
