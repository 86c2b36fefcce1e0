// The CLI's output conventions, the shape lpac prints: one JSON object per command on stdout,
// `{"type":"lpa","payload":{"code":0,"message":"success","data":…}}`, errors as code -1 with the message
// (and the SGP.22 subject/reason codes when there are some) plus a non-zero exit; progress lines on stderr.
import { ProfileInstallationFailed } from '@zkesim/lpa-core';
import { RspError, iccidToDigits } from '@zkesim/protocol';

export function toJson(value: unknown): string {
  return JSON.stringify(value, (key, item: unknown) => {
    if (typeof item === 'bigint') return Number.isSafeInteger(Number(item)) ? Number(item) : item.toString();
    // ICCIDs print as the digits users know; other byte strings as hex.
    if (item instanceof Uint8Array) return key === 'iccid' ? iccidToDigits(item) : Buffer.from(item).toString('hex').toUpperCase();
    return item;
  });
}

export function printResult(data: unknown, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  write(`${toJson({ type: 'lpa', payload: { code: 0, message: 'success', data: data ?? null } })}\n`);
}

export function errorPayload(error: unknown): { code: number; message: string; data: Record<string, unknown> | null } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ProfileInstallationFailed) {
    // The card's numbers by their SGP.22 names (BppCommandId, ErrorReason), and whether the SM-DP+ got the result.
    return {
      code: -1,
      message,
      data: {
        error: error.name, subjectCode: error.subjectCode, reasonCode: error.reasonCode,
        bppCommandId: error.bppCommandIdName, errorReason: error.errorReasonName, notifications: error.notifications,
      },
    };
  }
  if (error instanceof RspError) {
    return { code: -1, message, data: { error: error.name, subjectCode: error.subjectCode, reasonCode: error.reasonCode } };
  }
  return { code: -1, message, data: error instanceof Error ? { error: error.name } : null };
}

/** Runs a command body: prints its result, or the error object and sets a non-zero exit code. */
export async function runCommand(body: () => Promise<unknown>): Promise<void> {
  try {
    printResult(await body());
  } catch (error) {
    const payload = errorPayload(error);
    process.stdout.write(`${toJson({ type: 'lpa', payload })}\n`);
    process.stderr.write(`zkesim lpa: ${payload.message}\n`);
    process.exitCode = 1;
  }
}

export function progressLine(step: string, detail?: string): void {
  process.stderr.write(`[lpa] ${step}${detail === undefined ? '' : ` ${detail}`}\n`);
}
