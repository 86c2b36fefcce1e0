// Structured JSON logs (pino). Secrets never reach a log line and identifiers reach it only truncated,
// whatever a caller passes and however deep: every logged object (and every child logger's bindings) goes
// through redactLogObject, which replaces the values of secret keys (Ki, OPc, keys, confirmation codes,
// session keys, profile packages) with "[redacted]" and shows EIDs, ICCIDs and IMEIs as their issuer prefix
// (redactIdentifier, the one home of that rule). Identifiers inside text — an error's message and stack, a
// refusal's reason, the log message itself — are cut the same way (redactIdentifiersInText): error messages
// are written for the requester, who may see the full ICCID, so they are redacted where they reach a log,
// not where they are made. pino's own `redact` paths cannot express "this key at any depth", so the walk is ours.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Keys (compared case-insensitively) whose values never reach a log line, at any depth. */
export const secretLogKeys: ReadonlySet<string> = new Set(
  [
    'ki', 'opc', 'key', 'privateKey', 'keyEncryptionKey', 'confirmationCode', 'confirmationCodeHash', 'hashCc', 'sharedSecret',
    'sessionKeys', 'upp', 'authorization', 'password',
  ].map((key) => key.toLowerCase()),
);

/**
 * How many leading digits of an identifier a log line keeps: the EID's EUM part (SGP.29: country, issuer),
 * the ICCID's issuer identification number (ITU-T E.118: 89, country code, issuer), the IMEI's TAC.
 * Enough to tell issuers and device types apart, not to identify a card, a subscription or a device.
 */
const identifierPrefixDigits = { eid: 8, iccid: 7, imei: 8 } as const;
export type LoggedIdentifier = keyof typeof identifierPrefixDigits;

/** An identifier as logs show it: its issuer prefix and "…". Applying it twice changes nothing. */
export function redactIdentifier(kind: LoggedIdentifier, value: string): string {
  const digits = identifierPrefixDigits[kind];
  return value.length <= digits ? value : `${value.slice(0, digits)}…`;
}

/**
 * Identifier-looking digit runs in free text: 15 or more decimal digits not part of a longer word (a hex
 * string's digit run stays). 15–16 digits are read as an IMEI (IMEISV), 32 or more as an EID, the lengths
 * between as an ICCID (ITU-T E.118: up to 20 digits); each keeps the prefix redactIdentifier keeps.
 */
const identifierDigitRun = /(?<![0-9A-Za-z])[0-9]{15,}(?![0-9A-Za-z])/g;

/** `text` with every identifier-looking digit run cut to its issuer prefix. */
export function redactIdentifiersInText(text: string): string {
  return text.replace(identifierDigitRun, (run) => redactIdentifier(run.length >= 32 ? 'eid' : run.length <= 16 ? 'imei' : 'iccid', run));
}

/** An Error as a plain object (type, message, stack, own fields, cause), ready for the walk. */
function plainError(error: Error): Record<string, unknown> {
  const { cause, name: _name, ...own } = error as Error & { cause?: unknown };
  return { ...own, type: error.name, message: error.message, stack: error.stack, ...(cause === undefined ? {} : { cause }) };
}

const identifierKeys = new Map<string, LoggedIdentifier>(Object.keys(identifierPrefixDigits).map((kind) => [kind, kind as LoggedIdentifier]));
const MAX_DEPTH = 12;

/** A copy of `value` fit for a log line (plain objects and arrays are walked; anything else is kept). */
export function redactLogObject(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactIdentifiersInText(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[circular]';
  if (value instanceof Error) {
    seen.add(value);
    return redactLogObject(plainError(value), depth, seen);
  }
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => redactLogObject(item, depth + 1, seen));
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  seen.add(value);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    const identifier = identifierKeys.get(lower);
    if (secretLogKeys.has(lower)) copy[key] = item === undefined ? undefined : '[redacted]';
    else if (identifier !== undefined && typeof item === 'string') copy[key] = redactIdentifier(identifier, item);
    else copy[key] = redactLogObject(item, depth + 1, seen);
  }
  return copy;
}

/** A pino logger for one server role (`sm-dp-plus`, `sm-ds`), every object it logs redacted. */
export function createLogger(role: string, level: string, destination?: DestinationStream): PinoLogger {
  const options = {
    level,
    base: { role },
    formatters: { log: (object: Record<string, unknown>) => redactLogObject(object) as Record<string, unknown> },
    // formatters.log has already made every Error a plain, redacted object; pino's own `err` serializer
    // (which runs after it) would take that for an Error again and rename its type "Object".
    serializers: { err: (value: unknown) => value },
    // The message argument (and any printf arguments) bypass formatters.log: cut identifiers there too.
    hooks: {
      logMethod(this: PinoLogger, args: unknown[], method: (...rest: unknown[]) => void): void {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactIdentifiersInText(arg) : arg)));
      },
    },
  };
  const logger = destination === undefined ? pino(options) : pino(options, destination);
  // pino does not pass a child's bindings through `formatters.bindings`; children inherit this method from
  // the root logger (pino children are prototype-linked), so the bindings of every descendant are redacted.
  const child = logger.child;
  logger.child = function (this: PinoLogger, bindings, childOptions) {
    return child.call(this, redactLogObject(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}
