// The storage factory: the configuration names an engine, this opens it. Everything above this file sees
// only the interfaces of core/repository.ts, so adding an engine is adding a member to the `storage` schema
// of config.ts and a case here.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SmdpConfig } from '../config.js';
import type { SmdpRepository, TestInstanceStore } from '../core/repository.js';
import { SqliteRepository } from './sqlite/sqliteRepository.js';

/** Which storage engine the SM-DP+ uses, and where (the validated `storage` section of the configuration). */
export type StorageConfig = SmdpConfig['storage'];

/** An opened store: the production interface, plus the test-instance operations the CLI needs. */
export type OpenedRepository = SmdpRepository & TestInstanceStore;

export async function openRepository(storage: StorageConfig): Promise<OpenedRepository> {
  switch (storage.kind) {
    case 'sqlite':
      if (storage.path !== ':memory:') mkdirSync(dirname(storage.path), { recursive: true });
      return new SqliteRepository({ path: storage.path });
  }
}
