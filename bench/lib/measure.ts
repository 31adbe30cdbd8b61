/** Measurement helpers: several rounds, medians, ratios against a baseline measured in the same run. */

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The value at quantile `q` (0..1) of a list, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export interface ThroughputOptions {
  /** Rounds to run; the median is reported. */
  rounds?: number;
  /** Wall time per round. */
  roundMs?: number;
  /** Warm-up time before the first round. */
  warmupMs?: number;
}

/**
 * Operations per second of `op`, run sequentially on one core: `rounds` rounds of about `roundMs`
 * each, after a warm-up; returns the median round.
 */
export async function throughput(op: () => unknown | Promise<unknown>, opts: ThroughputOptions = {}): Promise<number> {
  const { rounds = 5, roundMs = 1000, warmupMs = 500 } = opts;
  const runFor = async (ms: number): Promise<number> => {
    const start = performance.now();
    let n = 0;
    let now = start;
    while (now - start < ms) {
      // Batches of 16 keep the clock reads out of the measurement.
      for (let i = 0; i < 16; i++) await op();
      n += 16;
      now = performance.now();
    }
    return (n * 1000) / (now - start);
  };
  await runFor(warmupMs);
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) results.push(await runFor(roundMs));
  return median(results);
}

/** Latencies (ms) of `count` sequential calls of `op`. */
export async function latencies(op: () => unknown | Promise<unknown>, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await op();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Operations per second of several ops measured in alternating rounds (a, b, a, b, …), so that a change
 * in machine load hits all of them alike; returns each op's median round and the median of the per-round
 * ratios of every op to the first (more stable than the ratio of two medians on a loaded machine).
 */
export async function interleavedThroughput<K extends string>(
  ops: Record<K, () => unknown | Promise<unknown>>,
  opts: ThroughputOptions = {},
): Promise<{ rates: Record<K, number>; ratioToFirst: Record<K, number> }> {
  const { rounds = 7, roundMs = 700, warmupMs = 500 } = opts;
  const names = Object.keys(ops) as K[];
  const perRound = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const k of names) await throughput(ops[k], { rounds: 1, roundMs: warmupMs, warmupMs: 0 });
  for (let r = 0; r < rounds; r++) for (const k of names) perRound[k].push(await throughput(ops[k], { rounds: 1, roundMs, warmupMs: 0 }));
  const first = perRound[names[0]!];
  const rates = Object.fromEntries(names.map((k) => [k, median(perRound[k])])) as Record<K, number>;
  const ratioToFirst = Object.fromEntries(names.map((k) => [k, median(perRound[k].map((v, i) => v / first[i]!))])) as Record<K, number>;
  return { rates, ratioToFirst };
}
