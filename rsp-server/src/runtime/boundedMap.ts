// Bounded caches kept as Maps in insertion order (oldest first).

/**
 * Drops a Map's oldest entries until it holds at most `maxEntries`. The size is checked before any walk: a walk
 * starts at the Map's first slot, and V8 leaves deleted entries in place until the Map is rehashed, so walking a
 * Map that needs no trimming could skip thousands of dead slots on every call.
 */
export function trimOldest<K, V>(map: Map<K, V>, maxEntries: number): void {
  if (map.size <= maxEntries) return;
  for (const oldest of map.keys()) {
    if (map.size <= maxEntries) break;
    map.delete(oldest);
  }
}
