// A real PostgreSQL server for the tests (Debian's postgresql, installed by .ci/run): initdb into a temporary
// folder, pg_ctl start on a free port of 127.0.0.1 (and a unix socket inside the folder), password
// authentication with a random password, stopped and removed at the end. Run as root (CI, these machines),
// the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findFreePort } from '@zkesim/contracts';

export interface PostgresServer {
  /** URL of the maintenance database `postgres` as the superuser (to create databases). */
  adminUrl: string;
  host: string;
  port: number;
  /** The data folder (for a test that restarts the server). */
  dataDir: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The folder of initdb and pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else PATH. */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env['PG_BIN'];
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const found = which.status === 0 ? which.stdout.trim() : '';
  return found === '' ? undefined : join(found, '..');
}


/** uid and gid of the `postgres` user, when running as root; undefined otherwise. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Starts a throwaway server; throws with initdb's or the server's log when it cannot. */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('PostgreSQL is not installed (no initdb; install Debian\'s postgresql or set PG_BIN)');
  const user = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'zkesim-pg-'));
  const dataDir = join(root, 'data');
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (user !== undefined) {
    chownSync(root, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  const ids = user === undefined ? {} : { uid: user.uid, gid: user.gid };
  /** As `run`, without blocking this process (a restart while the test's own clients keep sending). */
  const runAsync = async (file: string, args: string[]): Promise<void> => {
    await promisify(execFile)(join(bin, file), args, { cwd: root, ...ids });
  };
  const run = (file: string, args: string[]): void => {
    const result = spawnSync(join(bin, file), args, { encoding: 'utf8', cwd: root, ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }) });
    if (result.status !== 0) throw new Error(`${file} failed: ${result.error?.message ?? ''}${result.stdout}${result.stderr}`);
  };
  run('initdb', ['-D', dataDir, '-U', 'zkesim', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
  rmSync(passwordFile);
  let port = 0;
  // Durability settings off: a test server's data is thrown away (the store's own guarantees do not depend on them).
  const startArgs = (): string[] => {
    const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300`;
    return ['-D', dataDir, '-l', join(root, 'server.log'), '-o', options, '-w', '-t', '60', 'start'];
  };
  const start = async (): Promise<void> => run('pg_ctl', startArgs());
  for (let attempt = 0; ; attempt += 1) {
    port = await findFreePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt >= 2) {
        rmSync(root, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const stopServer = (mode: 'fast' | 'immediate'): void => run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  return {
    adminUrl: `postgresql://zkesim:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    dataDir,
    async restart() {
      await runAsync('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      await runAsync('pg_ctl', startArgs());
    },
    async stop() {
      try {
        stopServer('immediate');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** Creates a fresh, empty database on the server and returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
