// The status-list allocator's bitmap: slots given back (a credential refused before its INSERT) are
// free again and do not count toward the open list's capacity.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatusListAllocator, randomBelow } from '../src/status-list-allocator.js';
import type { RegistrarStore } from '../src/storage/registrar-store.js';
import { BASE_URL, openTestStore, tempHome } from './helpers.js';

const opened: { db: RegistrarStore; cleanup: () => void }[] = [];

afterEach(async () => {
  for (const { db, cleanup } of opened.splice(0)) {
    await db.close();
    cleanup();
  }
});

async function store(): Promise<RegistrarStore> {
  const { home, cleanup } = tempHome();
  const db = await openTestStore(home);
  opened.push({ db, cleanup });
  return db;
}

function allocator(capacity: number): StatusListAllocator {
  return new StatusListAllocator({ baseUrl: BASE_URL, length: 131_072, capacity, now: () => Date.parse('2026-11-23T10:00:00Z') });
}

describe('StatusListAllocator.release', () => {
  it('a released slot does not count toward the capacity: the list stays open for the next reservation', async () => {
    const db = await store();
    const a = allocator(2);
    const first = await a.reserve(db, 'revocation');
    const second = a.reserveInMemory('revocation')!;
    expect(second.listName).toBe(first.listName);
    expect(a.reserveInMemory('revocation')).toBeUndefined(); // full at 2: the next one needs a new list
    a.release([second]);
    const third = a.reserveInMemory('revocation');
    expect(third?.listName).toBe(first.listName);
    expect(third?.index).not.toBe(first.index);
  });

  it('releasing a slot twice, or a slot of a list that is no longer open, changes nothing', async () => {
    const db = await store();
    const a = allocator(2);
    const first = await a.reserve(db, 'revocation');
    a.release([first]);
    a.release([first]);
    a.release([{ ...first, listName: 'f'.repeat(32) }]);
    a.reserveInMemory('revocation');
    a.reserveInMemory('revocation');
    expect(a.reserveInMemory('revocation')).toBeUndefined(); // exactly two allocations fit, not three
  });
});

describe('randomBelow', () => {
  it('uses each random word WebCrypto gave exactly once, in order, across refills of its pool', () => {
    let filled = 0;
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      const words = array as unknown as Uint32Array;
      for (let j = 0; j < words.length; j++) words[j] = ++filled;
      return array;
    });
    try {
      // Use up what the pool held before the spy: the draw that refills it returns the first new word.
      let first = randomBelow(2 ** 32);
      for (let i = 0; i < 256 && spy.mock.calls.length === 0; i++) first = randomBelow(2 ** 32);
      expect(first).toBe(1);
      const next = Array.from({ length: 599 }, () => randomBelow(2 ** 32));
      expect(next).toEqual(Array.from({ length: 599 }, (_, i) => i + 2));
      expect(spy.mock.calls.length).toBe(3); // 600 words: three fills of 256
    } finally {
      spy.mockRestore();
    }
  });
});
