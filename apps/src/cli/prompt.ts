// Terminal interaction of the CLI: the confirmation code prompt (when the SM-DP+ requires one and it was
// not given) and the optional download consent. Without a terminal there is no prompt: the download stops
// with a clear error instead of waiting on a pipe.
import { createInterface } from 'node:readline/promises';
import { iccidToDigits, type StoreMetadataRequest } from '@zkesim/protocol';
import type { LpaInteraction } from '@zkesim/lpa-core';

function interactive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

async function ask(question: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await lines.question(question)).trim();
  } finally {
    lines.close();
  }
}

export function terminalInteraction(options: { askConsent: boolean }): LpaInteraction {
  return {
    askConfirmationCode: async () => (interactive() ? ask('Confirmation code: ') : undefined),
    ...(options.askConsent
      ? {
          confirmDownload: async (metadata: StoreMetadataRequest) => {
            if (!interactive()) return true;
            const answer = await ask(`Download "${metadata.profileName}" from ${metadata.serviceProviderName} (ICCID ${iccidToDigits(metadata.iccid)})? [y/N] `);
            return /^y(es)?$/i.test(answer);
          },
        }
      : {}),
  };
}
