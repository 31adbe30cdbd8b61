import { describe, expect, it } from 'vitest';
import { gasTable, measureGas } from '../scripts/measure-gas.js';

describe('gas (EDR, prague rules)', () => {
  it('stays within the budgets documented in docs/ledger.md', async () => {
    const rows = await measureGas();
    console.log(`\n${gasTable(rows)}\n`);
    const gas = (op: string) => {
      const row = rows.find((r) => r.operation === op);
      if (row === undefined) throw new Error(`not measured: ${op}`);
      return row;
    };
    expect(gas('anchor, update (delegate)').gas).toBeLessThanOrEqual(46_000n);
    expect(gas('anchor, update (owner)').gas).toBeLessThanOrEqual(49_000n);
    expect(gas('anchor, first version of a list (delegate)').gas).toBeLessThanOrEqual(80_000n);
    // Batching meets the 40,000-per-update aim from two lists on.
    expect(gas('anchorMany 2 lists, update (delegate)').perList).toBeLessThanOrEqual(40_000n);
    expect(gas('anchorMany 10 lists, update (delegate)').perList).toBeLessThanOrEqual(21_000n);
    expect(gas('deploy CradleAnchor').gas).toBeLessThanOrEqual(600_000n);
  });
});
