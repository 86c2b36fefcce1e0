// Reads SAIP template files from a folder (the file-system side of `import-profiles`).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TemplateFile } from './importProfiles.js';

/** Every `*.der` file in `directory`, sorted by name; or, given one file, that file. */
export function readTemplateFiles(directory: string): TemplateFile[] {
  if (statSync(directory).isFile()) return [{ name: basename(directory), bytes: new Uint8Array(readFileSync(directory)) }];
  return readdirSync(directory)
    .filter((name) => name.toLowerCase().endsWith('.der'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(directory, name))) }));
}
