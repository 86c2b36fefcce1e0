import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrl, type RspCrl } from '../crl/RspCrl.js';
import { loadEntity, type PkiEntity } from '../entity.js';
import { PkiUsageError } from '../errors.js';
import type { CurveLabel } from '../keys/curves.js';
import { MANIFEST_FILE, crlPath, entityNames, entityPaths, type DevelopmentManifest, type EntityName } from './layout.js';

/** One curve of a development hierarchy: every entity, plus the CI's CRL. */
export type DevelopmentHierarchy = Readonly<Record<EntityName, PkiEntity>> & {
  readonly curve: CurveLabel;
  readonly crl: RspCrl;
  readonly crlPath: string;
};

export interface DevelopmentPki {
  readonly dir: string;
  readonly manifest: DevelopmentManifest;
  readonly eid: string;
  /** The hierarchies present, by curve. */
  readonly hierarchies: Partial<Record<CurveLabel, DevelopmentHierarchy>>;
}

function readManifest(dir: string): DevelopmentManifest {
  const path = join(dir, MANIFEST_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PkiUsageError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const manifest = parsed as Partial<DevelopmentManifest>;
  if (manifest.format !== 'zkesim-development-pki/1' || !Array.isArray(manifest.curves) || typeof manifest.eid !== 'string') {
    throw new PkiUsageError(`${path} is not a zkesim development PKI manifest`);
  }
  return manifest as DevelopmentManifest;
}

/** Loads a hierarchy written by `createDevelopmentPki` / `zkesim pki init`, checking every key against its certificate. */
export function loadDevelopmentPki(dir: string): DevelopmentPki {
  const manifest = readManifest(dir);
  const hierarchies: Partial<Record<CurveLabel, DevelopmentHierarchy>> = {};
  for (const curve of manifest.curves) {
    const entities = Object.fromEntries(
      entityNames.map((name) => {
        const paths = entityPaths(dir, curve, name);
        return [name, loadEntity(paths.certificateDer, paths.key)];
      }),
    ) as Record<EntityName, PkiEntity>;
    const path = crlPath(dir, curve);
    hierarchies[curve] = { ...entities, curve, crl: parseCrl(readFileSync(path)), crlPath: path };
  }
  return { dir, manifest, eid: manifest.eid, hierarchies };
}
