// BppStore on disk: one JSON file per transaction in a folder (written atomically via rename), so that a
// later `zkesim lpa profile resume` in another process finds the BPP of an interrupted load.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '@zkesim/protocol';
import type { BppStore, StoredDownload } from '../download/bppStore.js';

interface DownloadFile {
  transactionId: string;
  smdpAddress: string;
  iccid: string;
  boundProfilePackage: string;
  piecesLoaded: number;
}

const hex = (bytes: Uint8Array): string => toHex(bytes, 'upper');

export function fileBppStore(dir: string): BppStore {
  const pathOf = (transactionId: Uint8Array) => join(dir, `${hex(transactionId)}.json`);
  const read = (path: string): StoredDownload => {
    const file = JSON.parse(readFileSync(path, 'utf8')) as DownloadFile;
    return {
      transactionId: fromHex(file.transactionId, 'transactionId'),
      smdpAddress: file.smdpAddress,
      iccid: fromHex(file.iccid, 'iccid'),
      boundProfilePackage: Uint8Array.from(Buffer.from(file.boundProfilePackage, 'base64')),
      piecesLoaded: file.piecesLoaded,
    };
  };
  return {
    save: (download) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file: DownloadFile = {
        transactionId: hex(download.transactionId),
        smdpAddress: download.smdpAddress,
        iccid: hex(download.iccid),
        boundProfilePackage: Buffer.from(download.boundProfilePackage).toString('base64'),
        piecesLoaded: download.piecesLoaded,
      };
      const target = pathOf(download.transactionId);
      writeFileSync(`${target}.tmp`, JSON.stringify(file), { mode: 0o600 });
      renameSync(`${target}.tmp`, target);
    },
    load: (transactionId) => {
      try {
        return read(pathOf(transactionId));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    latest: () => {
      let names: string[];
      try {
        names = readdirSync(dir).filter((name) => name.endsWith('.json'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const newest = names.map((name) => ({ name, time: statSync(join(dir, name)).mtimeMs })).sort((a, b) => b.time - a.time)[0];
      return newest === undefined ? undefined : read(join(dir, newest.name));
    },
    remove: (transactionId) => rmSync(pathOf(transactionId), { force: true }),
  };
}
