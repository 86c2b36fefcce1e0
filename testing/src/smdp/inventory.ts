// Puts a template and a few profiles straight into the repository for tests that do not import SAIP files.
import { readFileSync } from 'node:fs';
import type { SmdpRepository } from '@zkesim/sm-dp-plus';
import { iccidDigits, type IccidDigits } from '@zkesim/protocol';
import { sharedSpec } from './testPki.js';

export const demoProfileType = 'TS48V1-A-UNIQUE';

export async function seedInventory(repository: SmdpRepository, count: number, at = 0): Promise<IccidDigits[]> {
  const iccids = Array.from({ length: count }, (_, i) => iccidDigits(`89000123456789${String(i).padStart(5, '0')}`));
  await repository.transaction(async (tx) => {
    await tx.putProfileTemplate({
      profileType: demoProfileType,
      upp: new Uint8Array(readFileSync(sharedSpec('upp/TS48V1-A-UNIQUE.der'))),
      source: 'TS48V1-A-UNIQUE.der',
      serviceProviderName: 'GSMA Test',
      profileName: 'TS.48 Generic Test Profile',
    });
    for (const [i, iccid] of iccids.entries()) {
      await tx.insertProfile(
        {
          iccid,
          profileType: demoProfileType,
          state: 'available',
          imsi: `00101${String(i).padStart(10, '0')}`,
          ki: new Uint8Array(16).fill(i + 1),
          opc: new Uint8Array(16).fill(0x80 + i),
        },
        at,
      );
    }
  });
  return iccids;
}
