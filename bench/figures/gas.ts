import { createHash, randomBytes } from 'node:crypto';
import { ANCHOR_DELEGATE_TYPE_LABEL, connectDidRegistry, connectLedger, statusListId } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import { figure } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const digest = (s: string): string => `0x${createHash('sha256').update(s).digest('hex')}`;

/**
 * Gas on the real EVM (Hardhat EDR): the first anchor of a list, an update, the gas per revocation
 * when 100 revocations are published together (they touch one list: one anchor update), and the gas
 * per list when 10 lists are anchored in one transaction.
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
    // A registrar with many lists publishes them together: anchorMany, one authorisation for all.
    const urls = Array.from({ length: 10 }, () => `https://registrar.example/status/${randomBytes(8).toString('hex')}`);
    const many = (version: number) => urls.map((u) => ({ listId: statusListId(u), version, digest: digest(`${u}@${version}`), uri: u }));
    await client.anchorMany(identity, many(1));
    const manyUpdate = await client.anchorMany(identity, many(2));
    client.close();
    return [
      figure({ name: 'Gas: first anchor of a list', value: Number(first.gasUsed), unit: 'gas', baseline: null, baselineValue: null }),
      figure({
        name: 'Gas: anchor update',
        value: Number(update.gasUsed),
        unit: 'gas',
        baseline: null,
        baselineValue: null,
      }),
      figure({
        name: 'Gas per revocation, 100 published together',
        value: Number(batch.gasUsed) / 100,
        unit: 'gas',
        baseline: 'one anchor per revocation',
        baselineValue: Number(update.gasUsed),
        notes: `one anchor update of ${batch.gasUsed} gas covers all 100`,
      }),
      figure({
        name: 'Gas per list, 10 lists anchored together',
        value: Number(manyUpdate.gasUsed) / 10,
        unit: 'gas',
        baseline: 'one anchor update per list',
        baselineValue: Number(update.gasUsed),
        notes: `anchorMany of 10 list updates: ${manyUpdate.gasUsed} gas`,
      }),
      figure({
        name: 'Gas: deploy CradleAnchor',
        value: Number(chain.deployGas.anchor),
        unit: 'gas',
        baseline: null,
        baselineValue: null,
      }),
    ];
  } finally {
    await chain.stop();
  }
}
