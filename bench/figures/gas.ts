import { createHash, randomBytes } from 'node:crypto';
import { ANCHOR_DELEGATE_TYPE_LABEL, connectDidRegistry, connectLedger, statusListId } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import { figure } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const digest = (s: string): string => `0x${createHash('sha256').update(s).digest('hex')}`;

/**
 * Gas on the real EVM (Hardhat EDR): the first anchor of a list, an update, and the gas per revocation
 * when 100 revocations are published together (they touch one list: one anchor update).
 */
export async function gasFigures(): Promise<Figure[]> {
  const chain = await startDevChain({ port: 0 });
  try {
    // As a registrar runs it: the identity's owner key stays cold; a `cradleAnchor` delegate anchors.
    const owner = chain.signer(1);
    const delegate = chain.signer(2);
    const identity = await owner.getAddress();
    const registry = await connectDidRegistry(chain.config, { signer: owner });
    await registry.addDelegate({ identity, delegateType: ANCHOR_DELEGATE_TYPE_LABEL, delegate: await delegate.getAddress(), validitySeconds: 5 * 365 * 86_400 });
    const client = await connectLedger(chain.config, { signer: delegate });
    const url = `https://registrar.example/status/${randomBytes(8).toString('hex')}`;
    const listId = statusListId(url);
    const first = await client.anchor({ identity, listId, version: 1, digest: digest('v1'), uri: url });
    const update = await client.anchor({ identity, listId, version: 2, digest: digest('v2'), uri: url });
    // 100 revocations between two publications flip 100 bits of the same list(s); publishing anchors each
    // changed list once. With one list (a registrar below 131,072 credentials) that is one update.
    const batch = await client.anchor({ identity, listId, version: 3, digest: digest('v3'), uri: url });
    client.close();
    return [
      figure({ name: 'Gas: first anchor of a list', value: Number(first.gasUsed), unit: 'gas', baseline: null, baselineValue: null, target: null }),
      figure({
        name: 'Gas: anchor update',
        value: Number(update.gasUsed),
        unit: 'gas',
        baseline: null,
        baselineValue: null,
        target: '<= 40,000 gas',
        met: Number(update.gasUsed) <= 40_000,
      }),
      figure({
        name: 'Gas per revocation, 100 published together',
        value: Number(batch.gasUsed) / 100,
        unit: 'gas',
        baseline: 'one anchor per revocation',
        baselineValue: Number(update.gasUsed),
        target: null,
        notes: `one anchor update of ${batch.gasUsed} gas covers all 100`,
      }),
      figure({
        name: 'Gas: deploy CradleAnchor',
        value: Number(chain.deployGas.anchor),
        unit: 'gas',
        baseline: null,
        baselineValue: null,
        target: null,
      }),
    ];
  } finally {
    await chain.stop();
  }
}
