// Reads what the stack's SM-DP+ store holds for a profile, opened with the stack's own key-encryption key
// (<dataDir>/smdp/kek.key), so that an at-rest test knows which bytes must not appear in the files.
import { join } from 'node:path';
import { SqliteRepository, loadSealer } from '@zkesim/sm-dp-plus';
import type { IccidDigits } from '@zkesim/protocol';

export interface StoredSecrets {
  iccid: string;
  ki: Uint8Array;
  opc: Uint8Array;
}

export async function storedProfileSecrets(dataDir: string, which: { availableOfType: string } | { iccid: string }): Promise<StoredSecrets | undefined> {
  const smdp = join(dataDir, 'smdp');
  const repository = new SqliteRepository({ path: join(smdp, 'smdp.db'), sealer: loadSealer({ file: join(smdp, 'kek.key'), generate: false }, {}) });
  try {
    return await repository.transaction(async (tx) => {
      const profile = 'iccid' in which ? await tx.getProfile(which.iccid as IccidDigits) : await tx.findAvailableProfile(which.availableOfType);
      const secrets = profile === undefined ? undefined : await tx.getProfileSecrets(profile.iccid);
      return profile === undefined || secrets === undefined ? undefined : { iccid: profile.iccid, ...secrets };
    });
  } finally {
    await repository.close();
  }
}
