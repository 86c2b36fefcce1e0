// The development PKI of the stack: created on first start under <dataDir>/pki (pki's createDevelopmentPki,
// NIST curve, TLS names localhost and 127.0.0.1), loaded afterwards.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDevelopmentPki, loadDevelopmentPki, type DevelopmentHierarchy, type DevelopmentPki } from '@zkesim/pki';

export interface StackPki {
  readonly pki: DevelopmentPki;
  readonly nist: DevelopmentHierarchy;
  readonly created: boolean;
  /** PEM path of the CI certificate, the LPA's TLS trust anchor. */
  readonly ciPem: string;
}

export function ensureDevelopmentPki(dataDir: string): StackPki {
  const dir = join(dataDir, 'pki');
  const created = !existsSync(join(dir, 'pki.json'));
  const pki = created ? createDevelopmentPki(dir, { curves: ['nist'], hostnames: ['localhost', '127.0.0.1'] }).pki : loadDevelopmentPki(dir);
  const nist = pki.hierarchies.nist;
  if (nist === undefined) throw new Error(`${dir} has no NIST hierarchy; move it away to let \`zkesim start\` create a new one`);
  return { pki, nist, created, ciPem: nist.ci.certificatePath.replace(/\.der$/, '.pem') };
}
