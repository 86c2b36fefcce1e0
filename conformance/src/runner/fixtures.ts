// The fixtures an operator prepared on the server under test: one entry per order, each with its kind. A
// case names the kinds it needs; each entry serves one case (a download uses its order up). A kind with no
// entry left, and no ES2+ credentials to make one, makes the case inconclusive.
import { readFileSync } from 'node:fs';
import { CaseInconclusive } from './model.js';

/** What an order is prepared to be, and so which refusal (or success) the SM-DP+ owes. */
export const FIXTURE_KINDS = {
  released: 'released order for the test eUICC (or for any EID), no confirmation code',
  confirmationCode: 'released order with a confirmation code (give confirmationCode)',
  notReleased: 'confirmed but not released order',
  otherEid: 'released order bound to an EID other than the test eUICC\'s',
  anyEid: 'released order naming no EID (the first eUICC to download it binds it)',
  expired: 'released order whose time to live has passed',
  attemptsExhausted: 'released order whose download attempts are used up',
  pprForbidden: 'released order of a profile whose metadata sets a Profile Policy Rule the eUICC reports as forbidden (euiccInfo2; PPR3 for the SGP.26 software eUICC)',
  pprAllowed: 'released order of a profile whose metadata sets PPR1, which the eUICC allows',
} as const;

export type FixtureKind = keyof typeof FIXTURE_KINDS;

export interface Fixture {
  readonly kind: FixtureKind;
  readonly matchingId: string;
  readonly confirmationCode?: string;
}

export class FixtureFileError extends Error {}

/** Reads a fixtures file: `{ "fixtures": [ { "kind": "released", "matchingId": "…" }, … ] }`. */
export function readFixtures(path: string): Fixture[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FixtureFileError(`fixtures file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseFixtures(json, path);
}

export function parseFixtures(json: unknown, source = 'fixtures'): Fixture[] {
  const list = (json as { fixtures?: unknown } | null)?.fixtures;
  if (!Array.isArray(list)) throw new FixtureFileError(`${source}: expected { "fixtures": [ … ] }`);
  return list.map((entry: unknown, index) => {
    const { kind, matchingId, confirmationCode } = (entry ?? {}) as Record<string, unknown>;
    const where = `${source}: fixtures[${index}]`;
    if (typeof kind !== 'string' || !(kind in FIXTURE_KINDS)) throw new FixtureFileError(`${where}.kind must be one of ${Object.keys(FIXTURE_KINDS).join(', ')}`);
    if (typeof matchingId !== 'string' || matchingId === '') throw new FixtureFileError(`${where}.matchingId must be a non-empty string`);
    if (kind === 'confirmationCode' && typeof confirmationCode !== 'string') throw new FixtureFileError(`${where}.confirmationCode is required for kind confirmationCode`);
    return { kind: kind as FixtureKind, matchingId, ...(typeof confirmationCode === 'string' ? { confirmationCode } : {}) };
  });
}

/** Makes a fixture on the server (ES2+), for the kinds that can be made that way. */
export type FixtureMaker = (kind: FixtureKind) => Promise<Fixture | undefined>;

/** Hands out fixtures, each once: from the file first, then from the maker. */
export class FixturePool {
  private readonly left: Fixture[];

  constructor(
    fixtures: readonly Fixture[],
    private readonly maker?: FixtureMaker,
  ) {
    this.left = [...fixtures];
  }

  async take(kind: FixtureKind): Promise<Fixture> {
    const index = this.left.findIndex((fixture) => fixture.kind === kind);
    if (index >= 0) return this.left.splice(index, 1)[0] as Fixture;
    let made: Fixture | undefined;
    try {
      made = await this.maker?.(kind);
    } catch (error) {
      throw new CaseInconclusive(`fixture "${kind}" missing and making it over ES2+ failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (made === undefined) throw new CaseInconclusive(`fixture "${kind}" (${FIXTURE_KINDS[kind]}) missing: name one in the fixtures file${this.maker === undefined ? ' or give ES2+ credentials' : ''}`);
    return made;
  }
}
