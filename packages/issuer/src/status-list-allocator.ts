import { ALERT_STATUS_SIZE, CradleError, alertListUrl } from '@cradle/core';
import type { Clock } from '@cradle/core';
import type { SqlExecutor } from './storage/registrar-store.js';

type Db = SqlExecutor;

/**
 * The status purposes a registrar uses (one open list per purpose): `revocation`, `suspension`, and
 * `message` for child-protection alert lists (2 bits per entry, published encrypted: docs/privacy.md).
 */
export type StatusPurpose = 'revocation' | 'suspension' | 'message';

/** Bits per entry of a purpose's lists. */
export function statusSizeOf(purpose: StatusPurpose): number {
  return purpose === 'message' ? ALERT_STATUS_SIZE : 1;
}

/** Where a credential's status lives: a list and an index in it. */
export interface StatusSlot {
  listName: string;
  url: string;
  purpose: StatusPurpose;
  index: number;
}

interface OpenList {
  name: string;
  url: string;
  length: number;
  capacity: number;
  allocated: number;
  /** One bit per index: 1 when allocated (a copy of `cradle_status_allocation` for this list). */
  taken: Uint8Array;
}

/** Options for {@link StatusListAllocator}. */
export interface StatusListAllocatorOptions {
  /** `<baseUrl>/status/<name>` is each list's URL. */
  baseUrl: string;
  /** Entries per list (>= 131,072). */
  length: number;
  /** Allocations per list before a new one starts (default: `length`). */
  capacity: number;
  now: Clock;
}

/** Draws before falling back to enumerating free slots (only matters when a list is nearly full). */
const MAX_RANDOM_DRAWS = 64;

/**
 * Allocates status-list indices **at random among free ones** (herd privacy: an index says nothing about
 * when a credential was issued). `reserve` only picks an index from an in-memory bitmap of the open list;
 * the allocation row itself is written by the same INSERT that stores the credential (a trigger), whose
 * primary key UNIQUE(list, index) makes two credentials sharing an entry impossible, even with a second
 * process on the same file. A list that reaches its capacity is marked full and a new random-named list
 * starts; callers never see `STATUS_LIST_FULL`. After a failed insert call `reset()`: the bitmap is
 * reloaded from the table.
 */
export class StatusListAllocator {
  readonly #opts: StatusListAllocatorOptions;
  readonly #open = new Map<StatusPurpose, OpenList>();

  constructor(opts: StatusListAllocatorOptions) {
    this.#opts = opts;
  }

  /** Forget cached state (after a failed or rolled-back insert). */
  reset(): void {
    this.#open.clear();
  }

  /** Pick a random free index of the open list for `purpose` (creating a list when needed). */
  async reserve(db: Db, purpose: StatusPurpose): Promise<StatusSlot> {
    let list = this.#open.get(purpose) ?? (await this.#loadOpen(db, purpose));
    if (list.allocated >= list.capacity) {
      await db.query('UPDATE "cradle_status_list" SET "full" = 1 WHERE "name" = ?', [list.name]);
      list = await this.#createList(db, purpose);
    }
    return take(list, purpose);
  }

  /**
   * The part of {@link reserve} that needs no database: a random free index of the open list already in
   * memory, or undefined when that list must first be loaded, or is full (then call `reserve`, on the
   * write queue). Synchronous, so it never interleaves with another reservation.
   */
  reserveInMemory(purpose: StatusPurpose): StatusSlot | undefined {
    const list = this.#open.get(purpose);
    return list === undefined || list.allocated >= list.capacity ? undefined : take(list, purpose);
  }

  /**
   * Give back slots reserved for a credential that was never written (refused before its INSERT): their
   * indices may be drawn again. Slots of a list no longer open here are left alone (the list is reloaded
   * from the table when it is needed again).
   */
  release(slots: readonly StatusSlot[]): void {
    for (const slot of slots) {
      const list = this.#open.get(slot.purpose);
      if (list === undefined || list.name !== slot.listName || !isTaken(list.taken, slot.index)) continue;
      list.taken[slot.index >>> 3]! &= ~(0x80 >>> (slot.index & 7));
      list.allocated -= 1;
    }
  }

  async #loadOpen(db: Db, purpose: StatusPurpose): Promise<OpenList> {
    const rows = (await db.query(
      'SELECT "name", "url", "length", "capacity" FROM "cradle_status_list" WHERE "purpose" = ? AND "full" = 0 ORDER BY "created_at", "name" LIMIT 1',
      [purpose],
    )) as { name: string; url: string; length: number; capacity: number }[];
    const row = rows[0];
    if (row === undefined) return this.#createList(db, purpose);
    const taken = new Uint8Array(Math.ceil(row.length / 8));
    const used = (await db.query('SELECT "idx" FROM "cradle_status_allocation" WHERE "list_name" = ?', [row.name])) as { idx: number }[];
    for (const { idx } of used) taken[idx >>> 3]! |= 0x80 >>> (idx & 7);
    const list: OpenList = { ...row, allocated: used.length, taken };
    this.#open.set(purpose, list);
    return list;
  }

  async #createList(db: Db, purpose: StatusPurpose): Promise<OpenList> {
    const name = randomListName();
    const url = purpose === 'message' ? alertListUrl(this.#opts.baseUrl, name) : statusListUrl(this.#opts.baseUrl, name);
    const { length, capacity } = this.#opts;
    const statusSize = statusSizeOf(purpose);
    // A new list is dirty: its first version must be published (and anchored) for verifiers to check
    // the credentials that point at it.
    await db.query(
      'INSERT INTO "cradle_status_list" ("name", "url", "purpose", "status_size", "length", "capacity", "bits", "version", "dirty", "full", "created_at") VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, 0, ?)',
      [name, url, purpose, statusSize, length, capacity, Buffer.alloc((length * statusSize) / 8), new Date(this.#opts.now()).toISOString()],
    );
    const list: OpenList = { name, url, length, capacity, allocated: 0, taken: new Uint8Array(Math.ceil(length / 8)) };
    this.#open.set(purpose, list);
    return list;
  }
}

/** `<baseUrl>/status/<name>` (no double slash). */
export function statusListUrl(baseUrl: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/status/${name}`;
}

/** A random, non-personal list name: 128 bits, hex. */
export function randomListName(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
}

/** Random 32-bit words drawn from WebCrypto 256 at a time (one call per word cost ~1% of an issuance). */
const pool = new Uint32Array(256);
let poolAt = pool.length;

function randomWord(): number {
  if (poolAt === pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const v = pool[poolAt]!;
  // Each word is used once.
  pool[poolAt++] = 0;
  return v;
}

/** Uniform random integer in [0, n) from WebCrypto, without modulo bias. */
export function randomBelow(n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError('randomBelow: n must be in 1..2^32');
  const limit = Math.floor(2 ** 32 / n) * n;
  for (;;) {
    const v = randomWord();
    if (v < limit) return v % n;
  }
}

function isTaken(taken: Uint8Array, i: number): boolean {
  return (taken[i >>> 3]! & (0x80 >>> (i & 7))) !== 0;
}

/** Mark a random free index of `list` taken and return its slot. */
function take(list: OpenList, purpose: StatusPurpose): StatusSlot {
  const index = pickFreeIndex(list);
  list.taken[index >>> 3]! |= 0x80 >>> (index & 7);
  list.allocated += 1;
  return { listName: list.name, url: list.url, purpose, index };
}

/** Rejection sampling over the whole list; when nearly full, a uniform pick among the free slots. */
function pickFreeIndex(list: OpenList): number {
  for (let draw = 0; draw < MAX_RANDOM_DRAWS; draw++) {
    const i = randomBelow(list.length);
    if (!isTaken(list.taken, i)) return i;
  }
  const free: number[] = [];
  for (let i = 0; i < list.length; i++) if (!isTaken(list.taken, i)) free.push(i);
  if (free.length === 0) throw new CradleError('STATUS_LIST_FULL', `Status list ${list.name} has no free index.`);
  return free[randomBelow(free.length)]!;
}
