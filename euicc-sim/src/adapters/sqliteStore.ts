// EuiccStore on a SQLite file (better-sqlite3 12). One row per EID; each save replaces the row in one
// transaction, so a crash leaves either the old or the new state, never a mix. The file holds the card's private
// keys: it is made 0600 (and its folder 0700 when missing) before SQLite opens it, whatever the umask.
import Database from 'better-sqlite3';
import { preparePrivateFile } from '@zkesim/config/privateFile';
import type { EuiccState, EuiccStore } from '../core/state.js';
import { stateFromJson, stateToJson } from './stateJson.js';

export interface SqliteEuiccStore extends EuiccStore {
  close(): void;
}

export function openSqliteStore(path: string): SqliteEuiccStore {
  preparePrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS euicc (
    eid TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL
  ) STRICT`);
  const select = db.prepare<[string], { state: string }>('SELECT state FROM euicc WHERE eid = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO euicc (eid, state) VALUES (?, ?) ON CONFLICT(eid) DO UPDATE SET state = excluded.state',
  );
  const listAll = db.prepare<[], { eid: string }>('SELECT eid FROM euicc ORDER BY eid');
  const save = db.transaction((state: EuiccState) => {
    upsert.run(eidKey(state.eid), stateToJson(state));
  });
  return {
    load: (eid) => {
      const row = select.get(eidKey(eid));
      return row === undefined ? undefined : stateFromJson(row.state);
    },
    save: (state) => {
      save(state);
    },
    listEids: () => listAll.all().map((row) => Uint8Array.from(Buffer.from(row.eid, 'hex'))),
    close: () => {
      db.close();
    },
  };
}

function eidKey(eid: Uint8Array): string {
  return Buffer.from(eid).toString('hex').toUpperCase();
}
