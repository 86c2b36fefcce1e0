// An in-memory EuiccStore for tests and throw-away cards. It keeps deep copies so a caller cannot change a
// stored state behind the store's back, as the SQLite store cannot either.
import type { EuiccState, EuiccStore } from './state.js';

export function memoryStore(): EuiccStore {
  const records = new Map<string, EuiccState>();
  const key = (eid: Uint8Array): string => Array.from(eid, (b) => b.toString(16).padStart(2, '0')).join('');
  return {
    load: (eid) => {
      const found = records.get(key(eid));
      return found === undefined ? undefined : structuredClone(found);
    },
    save: (state) => {
      records.set(key(state.eid), structuredClone(state));
    },
    listEids: () => [...records.values()].map((state) => Uint8Array.from(state.eid)),
  };
}
