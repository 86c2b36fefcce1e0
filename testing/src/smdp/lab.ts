// A lab fixtures file (issue #12: a certification lab's scripted inventory and orders) loaded into a test SM-DP+
// the way `zkesim smdp import-profiles --iccid … --metadata …` and `zkesim smdp provision` load it, with the same
// functions; the SM-DP+ runs in lab mode, so reusable orders are allowed.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { importProfiles, parseFixtures, parseProfileMetadata, orderPolicyOf, provision, readTemplateFiles, type ProvisionedOrder, type SmdpConfig } from '@zkesim/sm-dp-plus';
import { systemRandom } from '@zkesim/rsp-server';
import { bindEs9Port, profilesDirectory, startHarness, type Harness } from './harness.js';

export interface LabHarness extends Harness {
  /** The SM-DP+ address LPAs use (host:port). */
  address: string;
  orders: ProvisionedOrder[];
}

interface LabFile {
  import?: { template: string; iccids: string[]; metadata?: unknown }[];
  provision?: unknown;
}

/** Starts a lab-mode SM-DP+ at `address` (its ES9+ on `port`) and loads the lab file at `path` into it. */
export async function startLabHarness(path: string): Promise<LabHarness> {
  const { port, address, boundSockets } = await bindEs9Port();
  let chosen: SmdpConfig | undefined;
  const h = await startHarness(
    (config) => {
      config.address = address;
      config.lab = true;
      const first = config.es9[0];
      if (first !== undefined) first.port = port;
      chosen = config;
    },
    0,
    { boundSockets },
  );
  try {
    const config = chosen as SmdpConfig;
    const file = parseYaml(readFileSync(path, 'utf8')) as LabFile;
    const deps = { repository: h.smdp.repository, random: systemRandom, clock: { now: () => Date.now() }, logger: silent };
    for (const [index, entry] of (file.import ?? []).entries()) {
      const metadata = entry.metadata === undefined ? undefined : parseProfileMetadata(entry.metadata, `import[${index}].metadata`);
      await importProfiles(deps, readTemplateFiles(`${profilesDirectory}${entry.template}`), { iccids: entry.iccids, ...(metadata === undefined ? {} : { metadata }) });
    }
    const policy = orderPolicyOf(config);
    const orders = await provision(deps, policy, [{ operatorId: 'operator' }], parseFixtures(file.provision ?? {}));
    return { ...h, address, orders };
  } catch (error) {
    await h.close();
    throw error;
  }
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
