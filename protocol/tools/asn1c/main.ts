// The ASN.1 compiler's entry point: `npm run asn1:generate` rewrites protocol/src/asn1/generated from the
// module text vendored in protocol/asn1 (see protocol/asn1/SOURCE.md), the only module text it ever reads;
// `--check` only compares and exits 1 when the checked-in output is stale. An optional argument names
// another folder with the same files.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Emitter, type GeneratedFiles } from './emit.js';
import { Lowering } from './lower.js';
import { parseModule } from './parser.js';

/** The third-party modules, verbatim copies (protocol/asn1/SOURCE.md). */
export const VENDORED_MODULE_FILES = ['rsp.asn', 'PKIX1Explicit88.asn', 'PKIX1Implicit88.asn', 'PE_Definitions-3.3.1.asn'];
/** The project's own modules (protocol/asn1/SOURCE.md, "Our own modules"). */
export const PROJECT_MODULE_FILES = ['ZkesimIdentity.asn'];
/** Every module, in the order their names are chosen (see emit.ts). */
export const MODULE_FILES = [...VENDORED_MODULE_FILES, ...PROJECT_MODULE_FILES];

const here = dirname(fileURLToPath(import.meta.url));
/** protocol/asn1, found relative to this file so that any checkout (or copy of protocol/) is self-contained. */
export const DEFAULT_SPEC_DIR = resolve(here, '../../asn1');
export const GENERATED_DIR = resolve(here, '../../src/asn1/generated');

export function generate(specDir: string = DEFAULT_SPEC_DIR): GeneratedFiles {
  const modules = MODULE_FILES.map((file) => parseModule(readFileSync(join(specDir, file), 'utf8')));
  const lowering = new Lowering(modules);
  const table = lowering.run();
  return new Emitter(table, modules, lowering.oidAssignments()).emit();
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Names of the generated files that differ from what is on disk (missing, changed or extra). */
export function staleFiles(files: GeneratedFiles, dir: string = GENERATED_DIR): string[] {
  const stale = [...files].filter(([path, text]) => !existsSync(join(dir, path)) || readFileSync(join(dir, path), 'utf8') !== text).map(([p]) => p);
  const extra = listFiles(dir).filter((path) => !files.has(path));
  return [...stale, ...extra].sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const specDir = process.argv.find((arg, i) => i > 1 && !arg.startsWith('--')) ?? DEFAULT_SPEC_DIR;
  const files = generate(specDir);
  if (check) {
    const stale = staleFiles(files);
    if (stale.length > 0) {
      console.error(`asn1c: generated code is stale (${stale.length} files, e.g. ${stale.slice(0, 5).join(', ')}); run npm run asn1:generate`);
      process.exit(1);
    }
    console.log(`asn1c: ${files.size} generated files are up to date`);
  } else {
    rmSync(GENERATED_DIR, { recursive: true, force: true });
    for (const [path, text] of files) {
      mkdirSync(dirname(join(GENERATED_DIR, path)), { recursive: true });
      writeFileSync(join(GENERATED_DIR, path), text);
    }
    console.log(`asn1c: wrote ${files.size} files to ${GENERATED_DIR}`);
  }
}
