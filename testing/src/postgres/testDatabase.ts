// What a test file uses of the run's PostgreSQL server (globalSetup.ts): whether there is one, and a fresh
// database on it per call.
import { inject } from 'vitest';
import { createDatabase } from './server.js';

/** True when the run has a PostgreSQL server; otherwise says why once (the tests that need it are skipped, never in CI). */
export function postgresAvailable(): boolean {
  const reason = inject('postgresUnavailable');
  if (reason !== '') console.warn(`PostgreSQL tests skipped: ${reason}`);
  return inject('postgresAdminUrl') !== '';
}

/** The superuser URL of the run's server (for a test that starts server processes of its own). */
export function postgresAdminUrl(): string {
  const url = inject('postgresAdminUrl');
  if (url === '') throw new Error(`no PostgreSQL server in this run: ${inject('postgresUnavailable')}`);
  return url;
}

/** A new empty database on the run's server; its URL. */
export function freshDatabase(prefix = 'test'): Promise<string> {
  return createDatabase(postgresAdminUrl(), prefix);
}
