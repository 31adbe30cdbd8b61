/**
 * Measures the gas of deploying and using CradleAnchor on the EDR dev chain and prints a Markdown table
 * (pasted into docs/ledger.md). `test/gas.test.ts` runs the same measurement and fails on regressions.
 *
 * Run: `node --conditions=source --import tsx packages/ledger/scripts/measure-gas.ts`
 */
import { Contract, Wallet, hexlify } from 'ethers';
import { fileURLToPath } from 'node:url';
import { startDevChain } from '../src/devchain.js';
import { ANCHOR_DELEGATE_TYPE_LABEL, ERC1056_ABI, connectDidRegistry, connectLedger, statusListId } from '../src/index.js';

/** One measured operation. */
export interface GasRow {
  operation: string;
  gas: bigint;
  /** For batches: gas per list. */
  perList?: bigint;
}

// A realistic status-list URL: base URL + /status/ + a random 22-character list name (docs/formats.md).
const listUrl = (i: number) => `https://registrar.example.org/status/${hexlify(new Uint8Array(11).fill(i + 1)).slice(2)}`;
const digest = () => hexlify(crypto.getRandomValues(new Uint8Array(32)));

/** Measure deployment, anchoring (owner and delegate, first and update), batches, and DID operations. */
export async function measureGas(): Promise<GasRow[]> {
  const chain = await startDevChain({ port: 0 });
  const rows: GasRow[] = [];
  try {
    rows.push({ operation: 'deploy EthereumDIDRegistry (ERC-1056)', gas: chain.deployGas.registry });
    rows.push({ operation: 'deploy CradleAnchor', gas: chain.deployGas.anchor });
    const owner = chain.accounts[0]!;
    const delegate = chain.accounts[1]!;
    const asOwner = await connectLedger(chain.config, { signer: new Wallet(owner.privateKey) });
    const asDelegate = await connectLedger(chain.config, { signer: new Wallet(delegate.privateKey) });
    const dids = await connectDidRegistry(chain.config, { signer: new Wallet(owner.privateKey) });

    const key = crypto.getRandomValues(new Uint8Array(32));
    rows.push({ operation: 'ERC-1056 publish Ed25519 key (setAttribute)', gas: (await dids.publishEd25519Key({ identity: owner.address, publicKey: key, validitySeconds: 31_536_000 })).gasUsed });
    rows.push({
      operation: 'ERC-1056 add cradleAnchor delegate',
      gas: (await dids.addDelegate({ identity: owner.address, delegateType: ANCHOR_DELEGATE_TYPE_LABEL, delegate: delegate.address, validitySeconds: 31_536_000 })).gasUsed,
    });

    const single = async (client: typeof asOwner, i: number, version: number) =>
      (await client.anchor({ identity: owner.address, listId: statusListId(listUrl(i)), version, digest: digest(), uri: listUrl(i) })).gasUsed;
    rows.push({ operation: 'anchor, first version of a list (owner)', gas: await single(asOwner, 0, 1) });
    rows.push({ operation: 'anchor, update (owner)', gas: await single(asOwner, 0, 2) });
    rows.push({ operation: 'anchor, first version of a list (delegate)', gas: await single(asDelegate, 1, 1) });
    rows.push({ operation: 'anchor, update (delegate)', gas: await single(asDelegate, 1, 2) });

    for (const n of [2, 10]) {
      const base = 100 * n;
      for (const [label, version] of [['first', 1], ['update', 2]] as const) {
        const lists = Array.from({ length: n }, (_, j) => ({ listId: statusListId(listUrl(base + j)), version, digest: digest(), uri: listUrl(base + j) }));
        const gas = (await asDelegate.anchorMany(owner.address, lists)).gasUsed;
        rows.push({ operation: `anchorMany ${n} lists, ${label} (delegate)`, gas, perList: gas / BigInt(n) });
      }
    }
    // Sanity: the delegate really is a cradleAnchor delegate, not the owner.
    const registry = new Contract(chain.config.registry, ERC1056_ABI, chain.signer(0));
    if ((await registry.getFunction('identityOwner').staticCall(owner.address)) === delegate.address) throw new Error('unexpected owner');
    asOwner.close();
    asDelegate.close();
  } finally {
    await chain.stop();
  }
  return rows;
}

function eth(gas: bigint, gwei: number): string {
  return (Number(gas * BigInt(gwei)) / 1e9).toFixed(6);
}

/** The Markdown table of a measurement, with costs at 1 and 30 gwei. */
export function gasTable(rows: GasRow[]): string {
  const lines = ['| operation | gas | per list | ETH at 1 gwei | ETH at 30 gwei |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.operation} | ${r.gas.toLocaleString('en-US')} | ${r.perList === undefined ? '' : r.perList.toLocaleString('en-US')} | ${eth(r.gas, 1)} | ${eth(r.gas, 30)} |`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(gasTable(await measureGas()));
}
