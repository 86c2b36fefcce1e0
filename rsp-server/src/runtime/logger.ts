// Structured JSON logs (pino). Secrets never reach a log line: the redaction list below removes key
// material, subscriber keys and confirmation codes even if a caller passes them by mistake; EIDs are
// truncated by the callers (redactEid) before logging.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export const redactedPaths = [
  'ki', '*.ki', 'opc', '*.opc', 'key', '*.key', 'privateKey', '*.privateKey', 'confirmationCode', '*.confirmationCode',
  'sharedSecret', '*.sharedSecret', 'sessionKeys', '*.sessionKeys', 'upp', '*.upp', 'headers.authorization',
];

/** A pino logger for one server role (`sm-dp-plus`, `sm-ds`), with the redaction list applied. */
export function createLogger(role: string, level: string, destination?: DestinationStream): PinoLogger {
  const options = { level, base: { role }, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
