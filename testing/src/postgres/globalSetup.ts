// vitest globalSetup: one real PostgreSQL server for the whole test run (server.ts), its superuser URL
// provided to the test files, which each create fresh databases on it (testDatabase.ts). In CI (CI=true) a
// server that cannot start fails the run; elsewhere the PostgreSQL tests are skipped with the reason shown.
import type { TestProject } from 'vitest/node';
import { startPostgresServer, type PostgresServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test run's PostgreSQL server; empty when it could not start (outside CI). */
    postgresAdminUrl: string;
    /** Why there is no server (empty when there is one). */
    postgresUnavailable: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: PostgresServer | undefined;
  try {
    server = await startPostgresServer();
    project.provide('postgresAdminUrl', server.adminUrl);
    project.provide('postgresUnavailable', '');
  } catch (error) {
    if (process.env['CI'] === 'true') throw new Error(`CI needs PostgreSQL for the storage tests and it did not start: ${String(error)}`);
    project.provide('postgresAdminUrl', '');
    project.provide('postgresUnavailable', String(error));
  }
  return async () => {
    await server?.stop();
  };
}
