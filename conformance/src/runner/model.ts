// What a conformance case is, what it records and how it ends. A case passes only when its body ran to the
// end and every assertion it made held; anything it could not check ends inconclusive, never pass.

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** One exchange or action of a case, as the reports show it. */
export interface Step {
  readonly title: string;
  /** Milliseconds since the case started. */
  readonly atMs: number;
  readonly request?: unknown;
  readonly response?: unknown;
  readonly note?: string;
}

/** What a case found: the verdict and, for fail and inconclusive, precisely why. */
export interface CaseResult {
  readonly id: string;
  readonly title: string;
  /** The case's SGP.23 identifier (sgp23.ts), '' when no SGP.23 counterpart is claimed. */
  readonly sgp23: string;
  readonly target: string;
  readonly verdict: Verdict;
  /** Empty for pass; for fail/inconclusive, the one sentence that says why. */
  readonly reason: string;
  readonly expected?: string;
  readonly actual?: string;
  /** What a passing case asserted, so a report reader sees it was really checked. */
  readonly checks: readonly string[];
  readonly steps: readonly Step[];
  readonly durationMs: number;
}

/** An assertion of the case did not hold: the verdict is fail. */
export class CaseFailed extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(message);
    this.name = 'CaseFailed';
  }
}

/** The case could not check what it is about (fixture missing, a precondition the server did not meet). */
export class CaseInconclusive extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseInconclusive';
  }
}

/** The recording and asserting side of a running case, handed to its body. */
export class CaseContext {
  readonly steps: Step[] = [];
  readonly checks: string[] = [];
  private readonly started = Date.now();
  private readonly controller = new AbortController();

  /** Aborted when the case times out: long operations stop and release their sockets. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: string): void {
    this.controller.abort(new Error(reason));
  }

  step(title: string, details: { request?: unknown; response?: unknown; note?: string } = {}): void {
    this.steps.push({ title, atMs: Date.now() - this.started, ...details });
  }

  /** The last step's title, for timeout reasons. */
  lastStep(): string | undefined {
    return this.steps.at(-1)?.title;
  }

  /** Asserts `actual === expected`, naming what was compared. */
  equal(what: string, expected: string, actual: string | undefined): void {
    if (actual !== expected) throw new CaseFailed(`${what}: expected ${expected}, got ${actual ?? '(nothing)'}`, expected, actual ?? '(nothing)');
    this.checks.push(`${what} = ${expected}`);
  }

  /** Asserts a condition; `expected`/`actual` say what was compared. */
  ok(condition: boolean, what: string, actual?: string): void {
    if (!condition) throw new CaseFailed(`${what}${actual === undefined ? '' : `: got ${actual}`}`, what, actual);
    this.checks.push(what);
  }

  fail(reason: string, expected?: string, actual?: string): never {
    throw new CaseFailed(reason, expected, actual);
  }

  inconclusive(reason: string): never {
    throw new CaseInconclusive(reason);
  }

  /**
   * Runs a step that only sets the scene (not what the case is about): if it fails the case is
   * inconclusive, since the behaviour under test was never reached.
   */
  async precondition<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CaseInconclusive) throw error;
      throw new CaseInconclusive(`precondition "${what}" not met: ${messageOf(error)}`);
    }
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One conformance case against a target whose environment is `Env`. */
export interface ConformanceCase<Env> {
  /** Stable identifier, e.g. `ES9+.AuthenticateClient.unknownTransactionId`. */
  readonly id: string;
  readonly title: string;
  /**
   * The SGP.23 test case (and sequence) this corresponds to, made with `sgp23()` of sgp23.ts, only where the
   * correspondence is certain; absent where no SGP.23 counterpart is claimed.
   */
  readonly sgp23?: string;
  /** Fixture kinds the case needs; a missing one makes it inconclusive. */
  readonly fixtures?: readonly string[];
  /** Per-case limit; the runner's default otherwise. */
  readonly timeoutMs?: number;
  run(t: CaseContext, env: Env): Promise<void>;
}
