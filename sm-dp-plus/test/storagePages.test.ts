// How many SQLite pages each ES9+ call of one download writes: the frames it appends to the write-ahead log
// (each one a 24-byte header and a page, two pwrite64 calls), and the distinct pages among them (what the next
// checkpoint copies into the database file). The server's own connection is found by its file name; the test
// turns its automatic checkpoint off and truncates the WAL before each call, so that the WAL holds exactly the
// frames of that call. The PostgreSQL counterpart (statements and round trips) is storageStatements.test.ts.
// PAGES_DEBUG=1 prints the table or index of each page written. The bounds are what the storage work reached (docs/PERFORMANCE.md, "sqlite"): a change that writes more pages
// fails here and has to say why.
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';

/** Every connection that set a pragma, by file name: the server's is among them. */
const connections = new Map<string, Database.Database>();
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (this: Database.Database, ...args: Parameters<Database.Database['pragma']>) {
  connections.set(this.name, this);
  return pragma.apply(this, args);
} as Database.Database['pragma'];

interface WalWrites {
  /** Frames appended to the WAL: one per page written by each commit. */
  frames: number;
  /** Distinct pages among them: what a checkpoint writes into the database file. */
  pages: number;
  /** The page number of each frame, in order. */
  written: number[];
}

/** The frames of a WAL file (https://sqlite.org/fileformat.html#the_write_ahead_log): a 32-byte header, then frames. */
function walWrites(file: string): WalWrites {
  if (!existsSync(file)) return { frames: 0, pages: 0, written: [] };
  const wal = readFileSync(file);
  if (wal.length < 32) return { frames: 0, pages: 0, written: [] };
  const pageSize = wal.readUInt32BE(8);
  const salts = wal.subarray(16, 24);
  const written: number[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    // A frame whose salts differ is left from before the last reset of the log, not written since.
    if (!wal.subarray(at + 8, at + 16).equals(salts)) break;
    written.push(wal.readUInt32BE(at));
  }
  return { frames: written.length, pages: new Set(written).size, written };
}

/** PAGES_DEBUG=1: which table or index each written page belongs to (SQLite's dbstat; a page in no b-tree is free). */
function whatPages(db: Database.Database, written: number[]): string {
  const rows = db.prepare('SELECT pageno, name, pagetype FROM dbstat').all() as { pageno: number; name: string; pagetype: string }[];
  const owner = new Map(rows.map((row) => [row.pageno, `${row.name}/${row.pagetype}`]));
  return written.map((page) => `${page}:${owner.get(page) ?? 'free'}`).join(' ');
}

/**
 * One download of `h`'s SGP.26 card, the WAL frames of each ES9+ call counted. With `retry`, the LPA loses the
 * package after GetBoundProfilePackage and comes back in a new session (§3.1.3): AuthenticateClient and
 * GetBoundProfilePackage again (the card still holds its one-time key, so the package is reused).
 */
async function downloadPages(h: Harness, db: Database.Database, options: { matchingId: string; confirmationCode?: string; retry?: boolean }): Promise<Record<string, WalWrites>> {
  const iccid = (await h.order({ eid: sgp26Eid, matchingId: options.matchingId, ...(options.confirmationCode === undefined ? {} : { confirmationCode: options.confirmationCode }) })) as IccidDigits;
  const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
  const counted: Record<string, WalWrites> = {};
  const during = async <T>(call: string, work: () => Promise<T>): Promise<T> => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const result = await work();
    const writes = walWrites(`${db.name}-wal`);
    counted[call] = writes;
    if (process.env.PAGES_DEBUG !== undefined) console.info(call, whatPages(db, writes.written));
    return result;
  };
  const session = async (again: string): Promise<void> => {
    expect(statusOf(await during(`initiateAuthentication${again}`, () => lpa.initiateAuthentication())).status).toBe('Executed-Success');
    await lpa.authenticateServer(options.matchingId);
    expect(statusOf(await during(`authenticateClient${again}`, () => lpa.authenticateClient())).status).toBe('Executed-Success');
    await lpa.prepareDownload(options.confirmationCode);
    expect(statusOf(await during(`getBoundProfilePackage${again}`, () => lpa.getBoundProfilePackage())).status).toBe('Executed-Success');
  };
  await session('');
  if (options.retry === true) await session(' (retry)');
  expect((await during('handleNotification', () => lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid))))).status).toBe(204);
  expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
  return counted;
}

const sum = (writes: Record<string, WalWrites>, key: 'frames' | 'pages'): number => Object.values(writes).reduce((total, one) => total + one[key], 0);

describe('SQLite pages written per ES9+ call', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const downloads = [
    // As the load bench orders: by EID and MatchingID, no confirmation code, no operator callback.
    { name: 'the load bench', tag: 'LB', callback: false, bounds: { initiateAuthentication: 0, authenticateClient: 1, getBoundProfilePackage: 8, handleNotification: 9 }, total: 18 },
    // storageStatements.test.ts's download: a confirmation code and an operator callback (outbox entries).
    { name: 'a confirmation code and a callback', tag: 'CB', confirmationCode: '1357', callback: true, bounds: { initiateAuthentication: 0, authenticateClient: 1, getBoundProfilePackage: 10, handleNotification: 11 }, total: 22 },
    // The load bench's download with a retry that reuses the bound package. AuthenticateClient's attempt count
    // going from 1 to 2 makes the order's record a byte longer, so SQLite writes the row anew, the sealed package's
    // overflow pages with it (freed and zeroed, then written again); the freelist's trunk page adds one to the
    // first binding and to the closing.
    {
      name: 'a retry', tag: 'RT', callback: false, retry: true,
      bounds: { initiateAuthentication: 0, authenticateClient: 1, getBoundProfilePackage: 9, 'initiateAuthentication (retry)': 0, 'authenticateClient (retry)': 8, 'getBoundProfilePackage (retry)': 7, handleNotification: 10 }, total: 35,
    },
  ];

  it.each(downloads)('stays within the counted frames for a download with $name', { timeout: 120_000 }, async (download) => {
    let path = '';
    h = await startHarness((config) => {
      if (config.storage.kind === 'sqlite') path = config.storage.path;
      // The outbox worker would write while the calls run; it delivers after the test.
      config.outbox.pollIntervalMs = 3_600_000;
      if (!download.callback) for (const operator of config.es2.operators) delete operator.callbackUrl;
    }, 2);
    const db = connections.get(path);
    if (db === undefined) throw new Error(`the server's connection to ${path} was not seen`);
    db.pragma('wal_autocheckpoint = 0');
    const code = download.confirmationCode === undefined ? {} : { confirmationCode: download.confirmationCode };
    // A first download warms the file up (pages allocated, freelist filled), as in a server that has run a while.
    await downloadPages(h, db, { matchingId: `PAGES-WARM-${download.tag}`, ...code, retry: download.retry === true });
    const writes = await downloadPages(h, db, { matchingId: `PAGES-${download.tag}`, ...code, retry: download.retry === true });
    const perCall = Object.fromEntries(Object.entries(writes).map(([call, one]) => [call, `${one.frames} (${one.pages})`]));
    console.info(`SQLite WAL frames (distinct pages) per call, ${download.name}:`, JSON.stringify(perCall), `per download ${sum(writes, 'frames')} (${sum(writes, 'pages')})`);
    expect(Object.keys(writes).sort()).toEqual(Object.keys(download.bounds).sort());
    for (const [call, bound] of Object.entries(download.bounds)) expect(writes[call]?.frames, call).toBeLessThanOrEqual(bound);
    expect(sum(writes, 'frames')).toBeLessThanOrEqual(download.total);
  });
});
