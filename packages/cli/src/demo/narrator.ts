import { displayText } from '@cradle/core';
import pc from 'picocolors';

/** One expected outcome of a demo step, checked and reported. */
export interface StepCheck {
  step: string;
  expected: string;
  actual: string;
  ok: boolean;
}

/**
 * Prints the demo for a non-developer: numbered steps with timings, plain sentences, and a clear mark
 * when an outcome is not the expected one. Collects the checks so the demo can exit non-zero.
 */
export class Narrator {
  readonly checks: StepCheck[] = [];
  #step = 0;
  readonly #started = performance.now();

  constructor(private readonly out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  /** Run one step, printing its title and how long it took. */
  async step<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.#step += 1;
    this.out('');
    this.out(pc.bold(`${String(this.#step).padStart(2, ' ')}. ${displayText(title)}`));
    const t = performance.now();
    const result = await fn();
    this.out(pc.dim(`    (${formatMs(performance.now() - t)})`));
    return result;
  }

  /** A line of narration under the current step (sanitized: it often embeds names and answers from credentials). */
  say(text: string): void {
    this.out(`    ${displayText(text)}`);
  }

  /** Record whether an outcome is what the story expects, and say so. */
  expect(step: string, expected: string, actual: string): boolean {
    const ok = expected === actual;
    this.checks.push({ step, expected, actual, ok });
    const [s, e, a] = [displayText(step), displayText(expected), displayText(actual)];
    this.out(ok ? `    ${pc.green('✓')} ${s}: ${a}` : `    ${pc.red('✗')} ${s}: expected ${e}, got ${a}`);
    return ok;
  }

  /** The closing one-line summary. */
  summary(): { ok: boolean; line: string } {
    const failed = this.checks.filter((c) => !c.ok);
    const total = formatMs(performance.now() - this.#started);
    const line =
      failed.length === 0
        ? `Demo complete: ${this.checks.length}/${this.checks.length} outcomes as expected in ${total}.`
        : `Demo FAILED: ${failed.length} of ${this.checks.length} outcomes were not as expected (${failed.map((f) => f.step).join('; ')}).`;
    return { ok: failed.length === 0, line };
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
