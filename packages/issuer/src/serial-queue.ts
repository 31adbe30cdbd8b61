/**
 * Runs async tasks one at a time, in arrival order.
 *
 * TypeORM's SQLite driver has a single connection and a single query runner: two overlapping
 * `transaction()` calls would nest (the second becomes a savepoint of the first) instead of being
 * isolated. Every write that must be atomic therefore goes through one queue per database.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Run `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
