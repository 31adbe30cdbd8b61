import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { JsonRpcProvider, id } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessChain, startDevChain } from '../src/devchain.js';
import type { DevChain } from '../src/devchain.js';
import { connectLedger, serializeLedgerConfig, statusListId } from '../src/index.js';

const run = promisify(execFile);
let chain: DevChain;

beforeAll(async () => {
  chain = await startDevChain({ port: 0 });
});

afterAll(async () => {
  await chain?.stop();
});

describe('startDevChain', () => {
  it('starts in a few seconds on 127.0.0.1 with both contracts deployed', async () => {
    console.log(`devchain startup: ${chain.startupMs} ms at ${chain.url}`);
    // ~0.6 s on an idle 2-vCPU machine; generous bound because the full suite runs files in parallel.
    expect(chain.startupMs).toBeLessThan(15_000);
    expect(chain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
    expect(await provider.getCode(chain.config.registry)).not.toBe('0x');
    expect(await provider.getCode(chain.config.anchor)).not.toBe('0x');
    expect(await provider.getBalance(chain.accounts[9]!.address)).toBeGreaterThan(10n ** 21n);
    expect(chain.config).toMatchObject({ chainId: 31337, rpcUrl: chain.url, confirmations: 1 });
    provider.destroy();
  });

  it('another process can use it through the written config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cradle-devchain-'));
    const file = join(dir, 'ledger.json');
    writeFileSync(file, serializeLedgerConfig(chain.config));
    const script = fileURLToPath(new URL('./fixtures/use-ledger.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', script, file], { timeout: 30_000 });
    const out = JSON.parse(stdout.trim()) as { txHash: string; latest: { version: number; digest: string } };
    expect(out.latest).toMatchObject({ version: 1, digest: id('from another process') });
    // ...and this process sees the same anchor.
    const ledger = await connectLedger(chain.config);
    const identity = chain.accounts[2]!.address;
    expect((await ledger.latest(identity, statusListId('https://registrar.example/status/other-process')))?.digest).toBe(id('from another process'));
    ledger.close();
  });

  it('refuses a port that is already taken', async () => {
    const port = Number(new URL(chain.url).port);
    await expect(startDevChain({ port })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('createInProcessChain', () => {
  it('serves the same contracts through an in-process provider, without a port', async () => {
    const local = await createInProcessChain();
    try {
      const ledger = await connectLedger(local.config, { provider: local.provider, signer: local.signer(1) });
      const identity = local.accounts[1]!.address;
      const listId = statusListId('https://registrar.example/status/in-process');
      await ledger.anchor({ identity, listId, version: 1, digest: id('in process'), uri: 'https://registrar.example/status/in-process' });
      expect((await ledger.latest(identity, listId))?.version).toBe(1);
      // The config's rpcUrl never resolves: using it by mistake fails fast instead of hanging.
      await expect(connectLedger(local.config)).rejects.toMatchObject({ code: 'RPC_UNREACHABLE' });
    } finally {
      await local.stop();
    }
  });
});
