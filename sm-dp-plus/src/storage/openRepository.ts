// The storage factory: the configuration names an engine, this opens it. Everything above this file sees
// only the interfaces of core/repository.ts, so adding an engine is adding a member to the `storage` schema
// of config.ts and a case here.
import type { SmdpConfig } from '../config.js';
import type { SmdpRepository, TestInstanceStore } from '../core/repository.js';
import type { SecretSealer } from '../core/secretSealer.js';
import { SqliteRepository } from './sqlite/sqliteRepository.js';
import { PostgresRepository } from './postgres/pgRepository.js';

/** The environment variable that names the PostgreSQL database when `storage.url` does not. */
export const DATABASE_URL_VARIABLE = 'DATABASE_URL';

/** The PostgreSQL URL of a `postgres` storage section: its `url`, else DATABASE_URL; a clear error without either. */
export function postgresUrl(storage: { url?: string | undefined }, env: NodeJS.ProcessEnv = process.env): string {
  const url = storage.url ?? env[DATABASE_URL_VARIABLE];
  if (url === undefined || url === '') {
    throw new Error(`storage.kind is postgres but neither storage.url nor ${DATABASE_URL_VARIABLE} names the database (postgresql://user:password@host:5432/name)`);
  }
  return url;
}

/** Which storage engine the SM-DP+ uses, and where (the validated `storage` section of the configuration). */
export type StorageConfig = SmdpConfig['storage'];

/** An opened store: the production interface, plus the test-instance operations the CLI needs. */
export type OpenedRepository = SmdpRepository & TestInstanceStore;

/**
 * Opens the configured store. `sealer` encrypts Ki, OPc and confirmation-code digests at rest; values an
 * older store kept in clear are sealed before this returns. The folder is created 0700 and the database
 * files are 0600 (SECURITY.md).
 */
export async function openRepository(
  storage: StorageConfig,
  sealer: SecretSealer,
  options: { onConnectionError?: (error: Error) => void } = {},
): Promise<OpenedRepository> {
  switch (storage.kind) {
    case 'sqlite': {
      // The repository makes the folder 0700 and the database files 0600 (config's preparePrivateFile).
      const repository = new SqliteRepository({ path: storage.path, sealer });
      try {
        await repository.sealPlaintextRows();
      } catch (error) {
        await repository.close();
        throw error;
      }
      return repository;
    }
    case 'postgres':
      return PostgresRepository.open({
        url: postgresUrl(storage),
        maxConnections: storage.maxConnections,
        outboxClaimMs: storage.outboxClaimMs,
        sealer,
        ...(options.onConnectionError === undefined ? {} : { onIdleError: options.onConnectionError }),
      });
  }
}
