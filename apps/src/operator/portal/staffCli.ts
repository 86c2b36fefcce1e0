// `zkesim operator staff add USERNAME --role admin|clerk`: a staff account of the operator portal, in the
// portal database of the data directory (<dataDir>/operator/portal.db, the one `npm start` serves). The
// password is read from standard input with --password-stdin (at least 12 characters), or generated and
// printed once.
import { join } from 'node:path';
import type { Command } from 'commander';
import { stackDataDir, stackPaths } from '@zkesim/config';
import { generatePassword } from './passwords.js';
import { openPortalDatabase } from './portalDatabase.js';
import { StaffError, StaffStore, staffRoles, type StaffRole } from './staffStore.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerOperatorCommands(program: Command): void {
  const operator = program.command('operator').description("the operator component's own tools (its portal's staff)");
  const staff = operator.command('staff').description('staff accounts of the operator portal');
  staff
    .command('add')
    .description('add a staff account (clerk: onboard only; admin: every page)')
    .argument('<username>', 'lowercase letters, digits, dot, dash or underscore')
    .requiredOption('--role <role>', `one of ${staffRoles.join(', ')}`)
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (username: string, options: { role: string; passwordStdin?: boolean }) => {
      const folder = stackPaths(stackDataDir(process.env, process.cwd())).operator;
      process.umask(0o077);
      const db = openPortalDatabase(join(folder, 'portal.db'));
      try {
        const password = options.passwordStdin === true ? await readStdin() : generatePassword();
        await new StaffStore(db).addStaff(username, options.role as StaffRole, password);
        process.stdout.write(`added ${options.role} ${username} to ${join(folder, 'portal.db')}\n`);
        if (options.passwordStdin !== true) process.stdout.write(`password (shown once; hand it over privately): ${password}\n`);
      } catch (error) {
        if (!(error instanceof StaffError)) throw error;
        process.stderr.write(`zkesim operator staff add: ${error.message}\n`);
        process.exitCode = 2;
      } finally {
        db.close();
      }
    });
}
