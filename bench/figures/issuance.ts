import { openBenchRegistrar } from '../lib/bench-registrar.js';
import { baselineIssue, createBaselineAgent } from '../lib/veramo-baseline.js';
import { loadSampleClaims, randomChildDids } from '../lib/cradle-world.js';
import { median, throughput } from '../lib/measure.js';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const TOTAL = Number(process.env.CRADLE_BENCH_ISSUANCE ?? 100_000);
const WINDOW = 10_000;
/** Callers issuing at once, as clerks of an HTTP service do (group commit lets them share commits). */
const CALLERS = Number(process.env.CRADLE_BENCH_ISSUANCE_CALLERS ?? 32);
/** Credentials issued one caller at a time (no company to share a commit with), for comparison. */
const SEQUENTIAL = Math.min(TOTAL, 10_000);

/**
 * Issuance with everything durable (random index allocation, signing, SQLite commit before a credential
 * is acknowledged), sustained over 100,000 credentials from 32 concurrent callers (their commits are
 * grouped), and 10,000 from one caller at a time, versus stock Veramo `createVerifiableCredential` with
 * in-memory stores; memory sampled every 10,000 credentials.
 */
export async function issuanceFigures(): Promise<Figure[]> {
  const { registrar, close } = await openBenchRegistrar('cradle-bench-issue-');
  try {
    const claims = await loadSampleClaims();
    const subjects = randomChildDids(1024);

    const sequentialStarted = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) await registrar.issueBirthRegistration({ subject: subjects[i % subjects.length]!, claims });
    const sequential = (SEQUENTIAL * 1000) / (performance.now() - sequentialStarted);

    const windowRates: number[] = [];
    const heapMiB: number[] = [];
    const started = performance.now();
    let t = started;
    let next = 0;
    let done = 0;
    const caller = async (): Promise<void> => {
      while (next < TOTAL) {
        const i = next++;
        await registrar.issueBirthRegistration({ subject: subjects[i % subjects.length]!, claims });
        done += 1;
        if (done % WINDOW === 0) {
          const now = performance.now();
          windowRates.push((WINDOW * 1000) / (now - t));
          t = now;
          // Sample live memory, not garbage waiting for the collector (pnpm bench runs node with --expose-gc).
          (globalThis as { gc?: () => void }).gc?.();
          heapMiB.push(process.memoryUsage().heapUsed / 2 ** 20);
          process.stdout.write(`\n    issued ${done}/${TOTAL}: ${round(windowRates.at(-1)!, 0)}/s, heap ${round(heapMiB.at(-1)!, 0)} MiB`);
        }
      }
    };
    await Promise.all(Array.from({ length: CALLERS }, caller));
    process.stdout.write('\n');
    const sustained = (TOTAL * 1000) / (performance.now() - started);

    const { agent, issuer } = await createBaselineAgent();
    let k = 0;
    const veramo = await throughput(() => baselineIssue(agent, issuer, subjects[k++ % subjects.length]!, claims), { rounds: 3, roundMs: 2000 });

    const heapGrowth = heapMiB.length >= 2 ? heapMiB.at(-1)! - heapMiB[0]! : 0;
    return [
      figure({
        name: `Durable issuance, ${CALLERS} concurrent callers, sustained over ${TOTAL.toLocaleString('en-US')} credentials`,
        value: round(sustained, 0),
        unit: 'credentials/s',
        baseline: 'stock Veramo 7 createVerifiableCredential (in-memory)',
        baselineValue: round(veramo, 0),
        notes: `group commit; median window ${round(median(windowRates.length ? windowRates : [sustained]), 0)}/s; heap ${heapMiB.map((h) => round(h, 0)).join(' → ')} MiB`,
      }),
      figure({
        name: 'Durable issuance, one caller at a time',
        value: round(sequential, 0),
        unit: 'credentials/s',
        baseline: 'stock Veramo 7 createVerifiableCredential (in-memory)',
        baselineValue: round(veramo, 0),
        notes: `${SEQUENTIAL.toLocaleString('en-US')} credentials, each awaited before the next (nothing to share a commit with)`,
      }),
      figure({
        name: 'Issuance memory growth (heap, first to last 10k window)',
        value: round(heapGrowth, 1),
        unit: 'MiB',
        baseline: null,
        baselineValue: null,
      }),
    ];
  } finally {
    await close();
  }
}
