import { expect } from 'vitest';
import type { Run } from './run-cradle.js';

/** The one JSON object a `--json` command printed (fails the test when it printed anything else). */
export function jsonLine(run: Run): Record<string, unknown> {
  expect(run.stdout.trim().split('\n'), run.stderr).toHaveLength(1);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
