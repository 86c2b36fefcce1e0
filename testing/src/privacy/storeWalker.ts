// The privacy split's walker: every value of every store, found without knowing the stores' schemas, so a
// table or column added later is covered by the same checks. A SQLite store is read through SQLite (every
// table in sqlite_master, every row, every column, the WAL included) and as raw bytes (every file in its
// folder: deleted rows, free pages, journals); the chain as every transaction's calldata and every log
// (address, topics, data) of every block.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JsonRpcProvider } from 'ethers';

/** One value somewhere, in every form a needle may take in it (lower-case text, hex without 0x, decimal). */
export interface Cell {
  where: string;
  forms: string[];
}

/** Something that must (not) be found, in each of its encodings. */
export interface Needle {
  kind: string;
  label: string;
  forms: string[];
}

export interface Finding {
  where: string;
  kind: string;
  label: string;
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function cellForms(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value.toLowerCase(), hexOf(Buffer.from(value, 'utf8'))];
  if (typeof value === 'number' || typeof value === 'bigint') return [value.toString()];
  if (value instanceof Uint8Array) return [hexOf(value), Buffer.from(value).toString('latin1').toLowerCase()];
  return [String(value).toLowerCase()];
}

/** Every column of every row of every table of the SQLite database at `path` (opened read-only). */
export function sqliteCells(path: string, label = path): Cell[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
    const cells: Cell[] = [];
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).all() as Record<string, unknown>[];
      rows.forEach((row, index) => {
        for (const [column, value] of Object.entries(row)) cells.push({ where: `${label}:${table}[${index}].${column}`, forms: cellForms(value) });
      });
    }
    return cells;
  } finally {
    db.close();
  }
}

/** The tables of a SQLite database (to show the walk saw them all). */
export function sqliteTables(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}

/** Every file under `dir` as raw bytes (hex and latin-1 text). */
export function rawFileCells(dir: string, label = dir): Cell[] {
  const cells: Cell[] = [];
  const walk = (path: string, name: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry), `${name}/${entry}`);
    } else {
      cells.push({ where: `${label}${name} (raw)`, forms: cellForms(new Uint8Array(readFileSync(path))) });
    }
  };
  walk(dir, '');
  return cells;
}

/** Every transaction's calldata and every log of every block of the chain. */
export async function chainCells(provider: JsonRpcProvider): Promise<Cell[]> {
  const latest = await provider.getBlockNumber();
  const cells: Cell[] = [];
  for (let number = 0; number <= latest; number += 1) {
    const block = await provider.getBlock(number, true);
    for (const tx of block?.prefetchedTransactions ?? []) cells.push({ where: `block ${number} tx ${tx.hash} to ${tx.to ?? 'creation'} calldata`, forms: [tx.data.slice(2).toLowerCase()] });
  }
  const logs = await provider.getLogs({ fromBlock: 0, toBlock: latest });
  for (const log of logs) {
    cells.push({ where: `block ${log.blockNumber} log ${log.index} of ${log.address}`, forms: [...log.topics.map((topic) => topic.slice(2).toLowerCase()), log.data.slice(2).toLowerCase()] });
  }
  return cells;
}

/** The needles found in the cells: one finding per cell and needle. */
export function findNeedles(cells: readonly Cell[], needles: readonly Needle[]): Finding[] {
  const findings: Finding[] = [];
  for (const cell of cells) {
    for (const needle of needles) {
      if (needle.forms.some((form) => form.length > 0 && cell.forms.some((text) => text.includes(form)))) findings.push({ where: cell.where, kind: needle.kind, label: needle.label });
    }
  }
  return findings;
}

/** The kinds of needle found (for "this store holds KYC and activity" checks). */
export function kindsFound(findings: readonly Finding[]): Set<string> {
  return new Set(findings.map((finding) => finding.kind));
}

/** Needle forms of bytes: hex. */
export function bytesNeedle(kind: string, label: string, bytes: Uint8Array): Needle {
  return { kind, label, forms: [hexOf(bytes)] };
}

/** Needle forms of a field element: 32-byte hex and decimal. */
export function fieldNeedle(kind: string, label: string, value: bigint): Needle {
  return { kind, label, forms: [value.toString(16).padStart(64, '0'), value.toString(10)] };
}

/** Needle forms of text: lower-case text and the hex of its UTF-8 bytes. */
export function textNeedle(kind: string, label: string, text: string, ...encodings: Uint8Array[]): Needle {
  return { kind, label, forms: [text.toLowerCase(), hexOf(Buffer.from(text, 'utf8')), ...encodings.map(hexOf)] };
}
