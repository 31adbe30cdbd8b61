import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { Contract, Wallet, ZeroHash, encodeBytes32String, id } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCradleError } from '@cradle/core';
import type { CradleError } from '@cradle/core';
import { startDevChain } from '../src/devchain.js';
import type { DevChain } from '../src/devchain.js';
import { ANCHOR_DELEGATE_TYPE, ERC1056_ABI, classifyRpcError, connectLedger, cradleAnchorArtifact, statusListId } from '../src/index.js';
import type { LedgerClient } from '../src/index.js';

let chain: DevChain;
let owner: LedgerClient;
let identity: string;

async function rejection(p: Promise<unknown>): Promise<CradleError> {
  try {
    await p;
  } catch (e) {
    if (isCradleError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

function registryAs(index: number): Contract {
  return new Contract(chain.config.registry, ERC1056_ABI, chain.signer(index));
}

async function clientFor(index: number): Promise<LedgerClient> {
  return connectLedger(chain.config, { signer: new Wallet(chain.accounts[index]!.privateKey) });
}

const url = (name: string) => `https://registrar.example/status/${name}`;

beforeAll(async () => {
  chain = await startDevChain({ port: 0 });
  identity = chain.accounts[0]!.address;
  owner = await clientFor(0);
});

afterAll(async () => {
  owner?.close();
  await chain?.stop();
});

describe('who may anchor', () => {
  it('the ERC-1056 owner of the identity can anchor, and latest() returns it', async () => {
    const listId = statusListId(url('owner-list'));
    const digest = id('signed list v1');
    const tx = await owner.anchor({ identity, listId, version: 1, digest, uri: url('owner-list') });
    expect(tx.confirmations).toBeGreaterThanOrEqual(1);
    const latest = await owner.latest(identity, listId);
    expect(latest).toMatchObject({ identity, listId, version: 1, digest, blockNumber: tx.blockNumber });
    expect(await owner.latest(identity, statusListId(url('never-anchored')))).toBeNull();
  });

  it('a valid cradleAnchor delegate can anchor for the identity', async () => {
    const delegate = chain.accounts[1]!.address;
    await (await registryAs(0).getFunction('addDelegate')(identity, ANCHOR_DELEGATE_TYPE, delegate, 3600)).wait();
    const client = await clientFor(1);
    const listId = statusListId(url('delegate-list'));
    await client.anchor({ identity, listId, version: 1, digest: id('d1'), uri: url('delegate-list') });
    expect((await client.latest(identity, listId))?.version).toBe(1);
    expect(await client.canAnchor(identity, delegate)).toBe(true);
    client.close();
  });

  it('anyone else is rejected with NotAuthorized', async () => {
    const stranger = await clientFor(2);
    const err = await rejection(stranger.anchor({ identity, listId: statusListId(url('x')), version: 1, digest: id('x'), uri: url('x') }));
    expect(err.code).toBe('RPC_REVERTED');
    expect(err.details?.revert).toBe('NotAuthorized');
    expect(String(err.details?.reason)).toContain(chain.accounts[2]!.address);
    stranger.close();
  });

  it('a delegate of another type (veriKey) cannot anchor', async () => {
    const delegate = chain.accounts[3]!.address;
    await (await registryAs(0).getFunction('addDelegate')(identity, encodeBytes32String('veriKey'), delegate, 3600)).wait();
    const client = await clientFor(3);
    const err = await rejection(client.anchor({ identity, listId: statusListId(url('v')), version: 1, digest: id('v'), uri: url('v') }));
    expect(err.details?.revert).toBe('NotAuthorized');
    client.close();
  });

  it('an expired delegate is rejected', async () => {
    const delegate = chain.accounts[4]!.address;
    await (await registryAs(0).getFunction('addDelegate')(identity, ANCHOR_DELEGATE_TYPE, delegate, 60)).wait();
    const client = await clientFor(4);
    const listId = statusListId(url('expiring'));
    await client.anchor({ identity, listId, version: 1, digest: id('e1'), uri: url('expiring') });
    await chain.increaseTime(120);
    const err = await rejection(client.anchor({ identity, listId, version: 2, digest: id('e2'), uri: url('expiring') }));
    expect(err.code).toBe('RPC_REVERTED');
    expect(err.details?.revert).toBe('NotAuthorized');
    expect(await client.canAnchor(identity, delegate)).toBe(false);
    client.close();
  });

  it('a revoked delegate is rejected', async () => {
    const delegate = chain.accounts[5]!.address;
    const registry = registryAs(0);
    await (await registry.getFunction('addDelegate')(identity, ANCHOR_DELEGATE_TYPE, delegate, 3600)).wait();
    await (await registry.getFunction('revokeDelegate')(identity, ANCHOR_DELEGATE_TYPE, delegate)).wait();
    const client = await clientFor(5);
    const err = await rejection(client.anchor({ identity, listId: statusListId(url('r')), version: 1, digest: id('r'), uri: url('r') }));
    expect(err.details?.revert).toBe('NotAuthorized');
    client.close();
  });

  it('after an ownership change the old owner is rejected and the new owner may anchor', async () => {
    const moved = chain.accounts[6]!.address;
    const newOwner = chain.accounts[7]!.address;
    await (await registryAs(6).getFunction('changeOwner')(moved, newOwner)).wait();
    const old = await clientFor(6);
    const listId = statusListId(url('moved'));
    const err = await rejection(old.anchor({ identity: moved, listId, version: 1, digest: id('m'), uri: url('moved') }));
    expect(err.details?.revert).toBe('NotAuthorized');
    const next = await clientFor(7);
    await next.anchor({ identity: moved, listId, version: 1, digest: id('m'), uri: url('moved') });
    expect((await next.latest(moved, listId))?.version).toBe(1);
    old.close();
    next.close();
  });
});

describe('versions', () => {
  it('must strictly increase: equal and lower versions are rejected with VersionNotIncreasing', async () => {
    const listId = statusListId(url('versions'));
    await owner.anchor({ identity, listId, version: 1, digest: id('v1'), uri: url('versions') });
    await owner.anchor({ identity, listId, version: 5, digest: id('v5'), uri: url('versions') });
    for (const version of [5, 4]) {
      const err = await rejection(owner.anchor({ identity, listId, version, digest: id('again'), uri: url('versions') }));
      expect(err.code).toBe('RPC_REVERTED');
      expect(err.details?.revert).toBe('VersionNotIncreasing');
      expect(err.details?.args).toEqual([listId, '5', String(version)]);
    }
    expect((await owner.latest(identity, listId))?.digest).toBe(id('v5'));
  });

  it('version 0 and a zero digest never reach the chain', async () => {
    const listId = statusListId(url('zero'));
    expect((await rejection(owner.anchor({ identity, listId, version: 0, digest: id('z'), uri: '' }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(owner.anchor({ identity, listId, version: 1, digest: ZeroHash, uri: '' }))).code).toBe('INVALID_ARGUMENT');
  });

  it('the contract itself refuses a zero digest (EmptyDigest)', async () => {
    const anchor = new Contract(chain.config.anchor, cradleAnchorArtifact.abi, chain.signer(0));
    const err = await rejection(
      anchor.getFunction('anchor')(identity, statusListId(url('zero')), 1, ZeroHash, '').catch((e: unknown) => {
        throw classifyRpcError(e);
      }),
    );
    expect(err.details?.revert).toBe('EmptyDigest');
  });
});

describe('batches and events', () => {
  it('anchorMany anchors several lists in one transaction and latestMany reads them back', async () => {
    const lists = ['b1', 'b2', 'b3'].map((n, i) => ({ listId: statusListId(url(n)), version: 1, digest: id(`batch ${i}`), uri: url(n) }));
    const tx = await owner.anchorMany(identity, lists);
    const rows = await owner.latestMany([...lists.map((l) => ({ identity, listId: l.listId })), { identity, listId: statusListId(url('none')) }]);
    expect(rows.slice(0, 3).map((r) => r?.digest)).toEqual(lists.map((l) => l.digest));
    expect(rows.every((r, i) => (i < 3 ? r?.blockNumber === tx.blockNumber : r === null))).toBe(true);
  });

  it('events can be read back from a block, filtered by identity and list', async () => {
    const listId = statusListId(url('events'));
    const from = (await owner.blockNumber()) + 1;
    const a = await owner.anchor({ identity, listId, version: 1, digest: id('ev1'), uri: url('events') });
    const b = await owner.anchor({ identity, listId, version: 2, digest: id('ev2'), uri: `${url('events')}?v=2` });
    const events = await owner.anchorEvents({ fromBlock: from, listId });
    expect(events.map((e) => [e.version, e.digest, e.uri, e.blockNumber, e.transactionHash])).toEqual([
      [1, id('ev1'), url('events'), a.blockNumber, a.txHash],
      [2, id('ev2'), `${url('events')}?v=2`, b.blockNumber, b.txHash],
    ]);
    expect(await owner.anchorEvents({ fromBlock: b.blockNumber, listId })).toHaveLength(1);
    expect(await owner.anchorEvents({ fromBlock: from, identity: chain.accounts[9]!.address })).toEqual([]);
    // Chunked scanning returns the same events.
    expect(await owner.anchorEvents({ fromBlock: 0, listId, maxBlockRange: 1 })).toEqual(events);
  });
});

describe('transactions', () => {
  it('waitForConfirmations waits for depth and getTransactionState tracks it', async () => {
    const listId = statusListId(url('depth'));
    const sent = await owner.submitAnchor({ identity, listId, version: 1, digest: id('depth'), uri: url('depth') });
    const waiting = owner.waitForConfirmations(sent.txHash, 3);
    await chain.mine(2);
    const confirmed = await waiting;
    expect(confirmed.confirmations).toBeGreaterThanOrEqual(3);
    const state = await owner.getTransactionState(sent.txHash);
    expect(state).toMatchObject({ state: 'mined', succeeded: true, blockNumber: confirmed.blockNumber });
    expect(await owner.getTransactionState(id('never sent'))).toEqual({ state: 'dropped' });
  });

  it('a stuck transaction is pending, can be replaced with the same nonce, and is then reported dropped', async () => {
    const listId = statusListId(url('stuck'));
    await chain.setAutomine(false);
    try {
      // A fixed gas limit: estimating against the pending state would revert (version 1 is already pending).
      const fee = { gasLimit: 200_000n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
      const stuck = await owner.submitAnchor({ identity, listId, version: 1, digest: id('stuck'), uri: url('stuck') }, fee);
      expect(await owner.getTransactionState(stuck.txHash)).toMatchObject({ state: 'pending', nonce: stuck.nonce });
      const underpriced = await rejection(owner.submitAnchor({ identity, listId, version: 1, digest: id('cheap'), uri: url('stuck') }, { ...fee, nonce: stuck.nonce }));
      expect(underpriced.code).toBe('RPC_NONCE');
      const bumped = { nonce: stuck.nonce, gasLimit: 200_000n, maxFeePerGas: 4_000_000_000n, maxPriorityFeePerGas: 2_000_000_000n };
      const replacement = await owner.submitAnchor({ identity, listId, version: 1, digest: id('replacement'), uri: url('stuck') }, bumped);
      expect(await owner.getTransactionState(stuck.txHash)).toEqual({ state: 'dropped' });
      await chain.mine(1);
      expect(await owner.getTransactionState(replacement.txHash)).toMatchObject({ state: 'mined', succeeded: true, confirmations: 1 });
      expect((await owner.latest(identity, listId))?.digest).toBe(id('replacement'));
    } finally {
      await chain.setAutomine(true);
    }
  });

  it('a reused nonce is classified RPC_NONCE', async () => {
    const listId = statusListId(url('nonce'));
    const sent = await owner.submitAnchor({ identity, listId, version: 1, digest: id('n'), uri: url('nonce') });
    const wallet = chain.signer(0);
    const err = await rejection(
      wallet.sendTransaction({ to: wallet.address, value: 1n, nonce: sent.nonce }).catch((e: unknown) => {
        throw classifyRpcError(e);
      }),
    );
    expect(err.code).toBe('RPC_NONCE');
  });
});

describe('connecting', () => {
  it('refuses an RPC whose chain id differs from the config', async () => {
    const err = await rejection(connectLedger({ ...chain.config, chainId: 11155111 }));
    expect(err.code).toBe('CHAIN_ID_MISMATCH');
    expect(err.details).toEqual({ expected: 11155111, actual: 31337 });
  });

  it('classifies an unreachable RPC as RPC_UNREACHABLE, fast', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const t0 = performance.now();
    const err = await rejection(connectLedger({ ...chain.config, rpcUrl: `http://127.0.0.1:${port}` }));
    expect(err.code).toBe('RPC_UNREACHABLE');
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('classifies an RPC that accepts connections but never answers as RPC_UNREACHABLE after the timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
    try {
      const t0 = performance.now();
      const err = await rejection(connectLedger({ ...chain.config, rpcUrl: `http://127.0.0.1:${port}` }, { timeoutMs: 1000 }));
      const elapsed = performance.now() - t0;
      expect(err.code).toBe('RPC_UNREACHABLE');
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(5000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('a read-only client refuses to anchor', async () => {
    const ro = await connectLedger(chain.config);
    const err = await rejection(ro.anchor({ identity, listId: statusListId(url('ro')), version: 1, digest: id('ro'), uri: '' }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    ro.close();
  });
});
