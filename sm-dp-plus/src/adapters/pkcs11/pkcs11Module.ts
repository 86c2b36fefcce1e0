// One loaded PKCS#11 library per process. PKCS#11 v2.40 §5.4: C_Initialize is called once per application
// and C_Finalize ends every session of it, and the login state is per application and token (§5.6:
// C_Login on a second session answers CKR_USER_ALREADY_LOGGED_IN). So two SM-DP+ instances in one process
// (tests, an embedding application) must share the library: it is loaded and initialised on first use,
// counted, and finalised when the last user releases it. This table is the one process-wide state of the
// signing adapter, because the library it stands for is process-wide too.
import pkcs11js from 'pkcs11js';

export type Pkcs11 = InstanceType<typeof pkcs11js.PKCS11>;
export type Handle = Buffer;

/** A PKCS#11 failure, with the Cryptoki return value's name when the library gave one (`CKR_PIN_INCORRECT`). */
export class Pkcs11TokenError extends Error {
  override readonly name = 'Pkcs11TokenError';
  /** The CKR_* name, when the failure came from the library. */
  readonly returnValue: string | undefined;

  constructor(message: string, options: { cause?: unknown; returnValue?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.returnValue = options.returnValue;
  }
}

/** The CKR_* name of a pkcs11js error (its message is that name), else undefined. */
export function returnValueOf(error: unknown): string | undefined {
  return error instanceof pkcs11js.Pkcs11Error && /^CKR_\w+$/.test(error.message) ? error.message : undefined;
}

interface Loaded {
  library: Pkcs11;
  users: number;
}

const loaded = new Map<string, Loaded>();

/** The initialised library at `modulePath`, loaded on first use; pair every call with `releaseModule`. */
export function acquireModule(modulePath: string): Pkcs11 {
  const existing = loaded.get(modulePath);
  if (existing !== undefined) {
    existing.users += 1;
    return existing.library;
  }
  const library = new pkcs11js.PKCS11();
  try {
    library.load(modulePath);
  } catch (error) {
    throw new Pkcs11TokenError(`cannot load the PKCS#11 module ${modulePath}: ${(error as Error).message}`, { cause: error });
  }
  try {
    library.C_Initialize();
  } catch (error) {
    // Another library in this process (not this adapter) initialised it already: use it, never finalise it.
    if (returnValueOf(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      library.close();
      throw new Pkcs11TokenError(`C_Initialize of ${modulePath} failed: ${(error as Error).message}`, { cause: error, returnValue: returnValueOf(error) });
    }
  }
  loaded.set(modulePath, { library, users: 1 });
  return library;
}

/** Releases one use; the last one finalises and unloads the library. */
export function releaseModule(modulePath: string): void {
  const entry = loaded.get(modulePath);
  if (entry === undefined) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  loaded.delete(modulePath);
  try {
    entry.library.C_Finalize();
  } finally {
    entry.library.close();
  }
}

export const constants = pkcs11js;
