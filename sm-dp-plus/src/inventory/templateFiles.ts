// Reads SAIP template files from a folder (the file-system side of `import-profiles`).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateFile } from './importProfiles.js';

/** Every `*.der` file in `directory`, sorted by name. */
export function readTemplateFiles(directory: string): TemplateFile[] {
  return readdirSync(directory)
    .filter((name) => name.toLowerCase().endsWith('.der'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(directory, name))) }));
}
