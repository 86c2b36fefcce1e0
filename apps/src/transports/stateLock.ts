// An exclusive lock file holding the owner's PID; a lock whose process is gone is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { TransportError } from '@zkesim/lpa-core';

export interface Lock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(path: string): Lock {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new TransportError(`${path}: the eUICC is in use by process ${owner} (with \`npm start\` running, use the --euicc tcp:… address it printed)`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new TransportError(`${path}: could not take the lock`);
}
