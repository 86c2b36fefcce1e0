// What the onboarding keeps of a subscriber: the link from the keyed hash of the operator's KYC reference to the
// commitment, subscriber contract and order it made, so that a repeated request gets the same answer (idempotency)
// and an erasure can find what to forget. Never the KYC reference in clear, never KYC data, never the identity
// secret (that travels in the order's token only, which the SM-DP+ drops when the order closes).
// Its own SQLite file, beside the SM-DP+'s store: it is not an SGP.22 record and is erased on its own terms.
// Erasure (contracts' `eraseSubscriber`) reads it through `SubscriberLinks`, which this store implements
// structurally: the link's ICCID is the profile whose order got the identity (one order per onboarding).
import { preparePrivateFile } from '@zkesim/config';
import Database from 'better-sqlite3';
import type { SubscriberLinks } from '@zkesim/contracts';

export interface OnboardingLink {
  /** HMAC-SHA256(reference key, operatorId ‖ 0x00 ‖ KYC reference), hex. */
  referenceHash: string;
  operatorId: string;
  /** The identity commitment, decimal. */
  commitment: string;
  subscriberContract: string;
  /** The checksummed wallet, when the subscriber has one. */
  wallet?: string;
  iccid: string;
  matchingId: string;
  /**
   * The order needs a confirmation code (SGP.22 v2.2.2 §3.1.1): its activation code says so. The code itself is
   * not here; the order holds its digest only (ES2+ ConfirmOrder).
   */
  confirmationCodeRequired?: true;
  /** `ordered`: the order carries the identity, the chain has not confirmed the onboarding yet; `onboarded`: done. */
  state: 'ordered' | 'onboarded';
  createdAt: number;
}

/**
 * The onboarding's store. Erasure's view of it is contracts' `SubscriberLinks`: `findLink` by the reference hash
 * (`reference`) or the commitment, `deleteLink(referenceHash)` (true when there was one; the file keeps no bytes
 * of it). The commitment's revocation on chain is the caller's.
 */
export interface OnboardingStore extends SubscriberLinks {
  get(referenceHash: string): OnboardingLink | undefined;
  /** Inserts a new link; a second insert for the same hash fails (one onboarding per KYC reference). */
  insert(link: OnboardingLink): void;
  markOnboarded(referenceHash: string): void;
  close(): void;
}

interface Row {
  reference_hash: string;
  operator_id: string;
  commitment: string;
  subscriber_contract: string;
  wallet: string | null;
  iccid: string;
  matching_id: string;
  state: 'ordered' | 'onboarded';
  created_at: number;
  confirmation_code_required: 0 | 1;
}

/** Opens (creating, 0600) the SQLite onboarding store at `path`. */
export function openOnboardingStore(path: string): OnboardingStore {
  preparePrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // An erased link leaves no bytes in the file's freed space (and the WAL is checkpointed after a delete).
  db.pragma('secure_delete = ON');
  db.exec(`CREATE TABLE IF NOT EXISTS onboarding_links (
    reference_hash TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL,
    commitment TEXT NOT NULL UNIQUE,
    subscriber_contract TEXT NOT NULL,
    wallet TEXT,
    iccid TEXT NOT NULL,
    matching_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('ordered', 'onboarded')),
    created_at INTEGER NOT NULL
  ) STRICT`);
  // Added after the first release: stores made before it get the column (their links needed no code).
  const columns = db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'onboarding_links\')').all();
  if (!columns.some((column) => column.name === 'confirmation_code_required')) {
    db.exec('ALTER TABLE onboarding_links ADD COLUMN confirmation_code_required INTEGER NOT NULL DEFAULT 0 CHECK (confirmation_code_required IN (0, 1))');
  }
  const select = db.prepare<[string], Row>('SELECT * FROM onboarding_links WHERE reference_hash = ?');
  const byCommitment = db.prepare<[string], Row>('SELECT * FROM onboarding_links WHERE commitment = ?');
  const insert = db.prepare(
    `INSERT INTO onboarding_links (reference_hash, operator_id, commitment, subscriber_contract, wallet, iccid, matching_id, state, created_at, confirmation_code_required)
     VALUES (@referenceHash, @operatorId, @commitment, @subscriberContract, @wallet, @iccid, @matchingId, @state, @createdAt, @confirmationCodeRequired)`,
  );
  const onboarded = db.prepare(`UPDATE onboarding_links SET state = 'onboarded' WHERE reference_hash = ?`);
  const remove = db.prepare('DELETE FROM onboarding_links WHERE reference_hash = ?');
  return {
    get(referenceHash) {
      const row = select.get(referenceHash);
      if (row === undefined) return undefined;
      return {
        referenceHash: row.reference_hash,
        operatorId: row.operator_id,
        commitment: row.commitment,
        subscriberContract: row.subscriber_contract,
        ...(row.wallet === null ? {} : { wallet: row.wallet }),
        iccid: row.iccid,
        matchingId: row.matching_id,
        state: row.state,
        createdAt: row.created_at,
        ...(row.confirmation_code_required === 1 ? { confirmationCodeRequired: true as const } : {}),
      };
    },
    insert(link) {
      insert.run({ ...link, wallet: link.wallet ?? null, confirmationCodeRequired: link.confirmationCodeRequired === true ? 1 : 0 });
    },
    markOnboarded(referenceHash) {
      onboarded.run(referenceHash);
    },
    async findLink(key) {
      const row = 'reference' in key ? select.get(key.reference) : byCommitment.get(key.commitment.toString(10));
      return row === undefined ? undefined : { reference: row.reference_hash, commitment: BigInt(row.commitment), iccids: [row.iccid] };
    },
    async deleteLink(referenceHash) {
      const deleted = remove.run(referenceHash).changes > 0;
      // The WAL still holds the pages as they were before the delete until a checkpoint copies them back.
      if (deleted) db.pragma('wal_checkpoint(TRUNCATE)');
      return deleted;
    },
    close() {
      db.close();
    },
  };
}
