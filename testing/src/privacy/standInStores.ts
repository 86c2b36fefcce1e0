// Stand-ins, for the privacy tests, of the two stores built elsewhere: the operator's KYC store (the operator's
// own system) and the onboarding's link store (h-onboard; it implements contracts' SubscriberLinks the
// same way). Real SQLite files with secure_delete, so an erased row leaves no bytes behind.
import Database from 'better-sqlite3';
import type { SubscriberLink, SubscriberLinks } from '@zkesim/contracts';

export interface KycRecord {
  reference: string;
  fullName: string;
  birthDate: string;
  address: string;
  documentNumber: string;
  iccid: string;
}

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('secure_delete = ON');
  return db;
}

/** The operator's customer records: KYC data, the onboarding reference and the ICCID it ordered. */
export class OperatorKycStore {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    this.db = open(path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS kyc (
      reference TEXT PRIMARY KEY, full_name TEXT NOT NULL, birth_date TEXT NOT NULL, address TEXT NOT NULL,
      document_number TEXT NOT NULL, iccid TEXT NOT NULL)`);
  }

  put(record: KycRecord): void {
    this.db.prepare('INSERT INTO kyc VALUES (?, ?, ?, ?, ?, ?)').run(record.reference, record.fullName, record.birthDate, record.address, record.documentNumber, record.iccid);
  }

  /** The operator's half of a right-to-erasure request. */
  erase(reference: string): boolean {
    return this.db.prepare('DELETE FROM kyc WHERE reference = ?').run(reference).changes > 0;
  }

  close(): void {
    this.db.close();
  }
}

/** The onboarding's links: reference ↔ commitment ↔ the ICCIDs whose orders got the identity. */
export class SqliteOnboardingLinks implements SubscriberLinks {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    this.db = open(path);
    this.db.exec('CREATE TABLE IF NOT EXISTS onboarding_link (reference TEXT PRIMARY KEY, commitment TEXT NOT NULL UNIQUE, iccids TEXT NOT NULL)');
  }

  put(link: SubscriberLink): void {
    this.db.prepare('INSERT INTO onboarding_link VALUES (?, ?, ?)').run(link.reference, link.commitment.toString(), JSON.stringify(link.iccids));
  }

  async findLink(key: { reference: string } | { commitment: bigint }): Promise<SubscriberLink | undefined> {
    const row = ('reference' in key
      ? this.db.prepare('SELECT * FROM onboarding_link WHERE reference = ?').get(key.reference)
      : this.db.prepare('SELECT * FROM onboarding_link WHERE commitment = ?').get(key.commitment.toString())) as
      | { reference: string; commitment: string; iccids: string }
      | undefined;
    return row === undefined ? undefined : { reference: row.reference, commitment: BigInt(row.commitment), iccids: JSON.parse(row.iccids) as string[] };
  }

  async deleteLink(reference: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM onboarding_link WHERE reference = ?').run(reference).changes > 0;
  }

  close(): void {
    this.db.close();
  }
}
