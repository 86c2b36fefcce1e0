// The operator's own KYC store (the operator component of the demo, not one of our services): the customer
// records its KYC checks produced, under an opaque reference of its own. Only that reference (and the wallet the
// customer gave) crosses to our onboarding API; the records stay here, in a file our services never open.
import { randomUUID } from 'node:crypto';
import { preparePrivateFile } from '@zkesim/config';
import Database from 'better-sqlite3';

export interface KycRecord {
  /** The operator's opaque id of the record: what the onboarding API receives. */
  reference: string;
  name: string;
  /** The identity document checked (type and number), as the operator's KYC process recorded it. */
  document: string;
  wallet?: string;
  /** Recorded at the counter (operator portal), YYYY-MM-DD; absent in records made before. */
  dateOfBirth?: string;
  address?: string;
  checkedAt: number;
}

export interface KycStore {
  /** Stores a record under a new reference, or returns the one already stored for this document. */
  record(customer: Omit<KycRecord, 'reference' | 'checkedAt'>, now: number): KycRecord;
  get(reference: string): KycRecord | undefined;
  /** The record of this document (`type:number`), if any. */
  findByDocument(document: string): KycRecord | undefined;
  /** Right to erasure: deletes the record, leaving no bytes of it in the files; false if there was none. */
  erase(reference: string): boolean;
  close(): void;
}

interface Row {
  reference: string;
  name: string;
  document: string;
  wallet: string | null;
  date_of_birth: string | null;
  address: string | null;
  checked_at: number;
}

const recordOf = (row: Row): KycRecord => ({
  reference: row.reference,
  name: row.name,
  document: row.document,
  ...(row.wallet === null ? {} : { wallet: row.wallet }),
  ...(row.date_of_birth === null ? {} : { dateOfBirth: row.date_of_birth }),
  ...(row.address === null ? {} : { address: row.address }),
  checkedAt: row.checked_at,
});

export function openKycStore(path: string): KycStore {
  preparePrivateFile(path);
  const db = new Database(path);
  // An erased record's bytes are overwritten, not left in free pages (checked by test/e2e/privacy.test.ts).
  db.pragma('secure_delete = ON');
  db.exec(`CREATE TABLE IF NOT EXISTS kyc_records (
    reference TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    document TEXT NOT NULL UNIQUE,
    wallet TEXT,
    checked_at INTEGER NOT NULL
  ) STRICT`);
  // Stores made before the operator portal lack the counter's fields.
  const columns = new Set((db.prepare('PRAGMA table_info(kyc_records)').all() as { name: string }[]).map((column) => column.name));
  if (!columns.has('date_of_birth')) db.exec('ALTER TABLE kyc_records ADD COLUMN date_of_birth TEXT');
  if (!columns.has('address')) db.exec('ALTER TABLE kyc_records ADD COLUMN address TEXT');
  const byDocument = db.prepare<[string], Row>('SELECT * FROM kyc_records WHERE document = ?');
  const byReference = db.prepare<[string], Row>('SELECT * FROM kyc_records WHERE reference = ?');
  const remove = db.prepare('DELETE FROM kyc_records WHERE reference = ?');
  const insert = db.prepare('INSERT INTO kyc_records (reference, name, document, wallet, date_of_birth, address, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return {
    record(customer, now) {
      const existing = byDocument.get(customer.document);
      if (existing !== undefined) return recordOf(existing);
      const reference = `kyc-${randomUUID()}`;
      insert.run(reference, customer.name, customer.document, customer.wallet ?? null, customer.dateOfBirth ?? null, customer.address ?? null, now);
      return { reference, ...customer, checkedAt: now };
    },
    get(reference) {
      const row = byReference.get(reference);
      return row === undefined ? undefined : recordOf(row);
    },
    findByDocument(document) {
      const row = byDocument.get(document);
      return row === undefined ? undefined : recordOf(row);
    },
    erase(reference) {
      const erased = remove.run(reference).changes > 0;
      // A WAL (should the file be in WAL mode) would keep the page as it was until a checkpoint.
      if (erased) db.pragma('wal_checkpoint(TRUNCATE)');
      return erased;
    },
    close() {
      db.close();
    },
  };
}
