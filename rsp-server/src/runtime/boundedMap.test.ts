import { describe, expect, it } from 'vitest';
import { trimOldest } from './boundedMap.js';

describe('trimOldest', () => {
  it('drops the oldest entries (insertion order) down to the bound, and nothing when within it', () => {
    const map = new Map([['a', 1], ['b', 2], ['c', 3]]);
    trimOldest(map, 3);
    expect([...map.keys()]).toEqual(['a', 'b', 'c']);
    map.delete('b');
    map.set('b', 4);
    map.set('d', 5);
    trimOldest(map, 2);
    expect([...map]).toEqual([['b', 4], ['d', 5]]);
    trimOldest(map, 0);
    expect(map.size).toBe(0);
  });
});
