// Keeps a downloaded Bound Profile Package until the eUICC has answered with its installation result, so
// that a load interrupted by a transport failure can be resumed without a new order.
// The BPP is bound to the card's one-time key of this session (§3.1.3.3), so it is only useful while the
// eUICC keeps that session.
export interface StoredDownload {
  readonly transactionId: Uint8Array;
  readonly smdpAddress: string;
  readonly iccid: Uint8Array;
  readonly boundProfilePackage: Uint8Array;
  /** BPP pieces the card has accepted so far. */
  readonly piecesLoaded: number;
}

export interface BppStore {
  save(download: StoredDownload): void;
  load(transactionId: Uint8Array): StoredDownload | undefined;
  /** The most recently saved download. */
  latest(): StoredDownload | undefined;
  remove(transactionId: Uint8Array): void;
}

export function memoryBppStore(): BppStore {
  const downloads = new Map<string, StoredDownload>();
  const key = (id: Uint8Array) => Buffer.from(id).toString('hex');
  return {
    save: (download) => {
      downloads.delete(key(download.transactionId));
      downloads.set(key(download.transactionId), download);
    },
    load: (id) => downloads.get(key(id)),
    latest: () => [...downloads.values()].at(-1),
    remove: (id) => {
      downloads.delete(key(id));
    },
  };
}
