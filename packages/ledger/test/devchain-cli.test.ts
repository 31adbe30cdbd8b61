import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Wallet, id } from 'ethers';
import { describe, expect, it } from 'vitest';
import { startDevChain } from '../src/devchain.js';
import { connectLedger, loadLedgerConfig, statusListId } from '../src/index.js';

const cli = fileURLToPath(new URL('./fixtures/cradle-devchain.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('cradle devchain', () => {
  it('writes the ledger config, serves it to other processes, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cradle-cli-devchain-'));
    const out = join(dir, 'ledger.json');
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'devchain', '--port', '0', '--out', out, '--json'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const nl = buf.indexOf('\n');
          if (nl >= 0) resolve(buf.slice(0, nl));
        });
        void exited.then((code) => reject(new Error(`devchain exited early (${code}): ${stderr}`)));
      });
      const printed = JSON.parse(line) as { rpcUrl: string; ledger: string; startupMs: number; config: { anchor: string } };
      console.log(`cradle devchain ready ${Math.round(performance.now() - t0)} ms after spawn (chain startup ${printed.startupMs} ms)`);
      expect(printed.ledger).toBe(out);
      expect(statSync(out).mode & 0o077).toBe(0);

      const config = await loadLedgerConfig(out);
      expect(config.rpcUrl).toBe(printed.rpcUrl);
      expect(config.anchor).toBe(printed.config.anchor);
      const account = config.devAccounts![0]!;
      const ledger = await connectLedger(config, { signer: new Wallet(account.privateKey) });
      const uri = 'https://registrar.example/status/cli';
      await ledger.anchor({ identity: account.address, listId: statusListId(uri), version: 1, digest: id('cli'), uri });
      expect((await ledger.latest(account.address, statusListId(uri)))?.version).toBe(1);
      ledger.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('reports a bad --port as a clear error with exit status 1', async () => {
    const { code, stdout } = await runCli(['devchain', '--port', 'eighty', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout.trim())).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
  });
});

describe('cradle ledger deploy', () => {
  it('deploys to a network by RPC URL, writes a working ledger config, and refuses a wrong chain id', async () => {
    const target = await startDevChain({ port: 0 });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'cradle-cli-deploy-'));
      const keyFile = join(dir, 'deployer.key');
      writeFileSync(keyFile, `${target.accounts[5]!.privateKey}\n`, { mode: 0o600 });
      const out = join(dir, 'ledger.json');
      const ok = await runCli(['ledger', 'deploy', '--rpc', target.url, '--private-key-file', keyFile, '--out', out, '--registry', target.config.registry, '--confirmations', '1', '--json']);
      expect(ok.code, ok.stderr).toBe(0);
      const printed = JSON.parse(ok.stdout.trim()) as { registryDeployed: boolean; gasUsed: { anchor: string } };
      expect(printed.registryDeployed).toBe(false);
      expect(Number(printed.gasUsed.anchor)).toBeGreaterThan(100_000);
      const config = await loadLedgerConfig(out);
      expect(config).toMatchObject({ chainId: 31337, rpcUrl: target.url, registry: target.config.registry, confirmations: 1 });
      expect(config.anchor).not.toBe(target.config.anchor);
      const ledger = await connectLedger(config, { signer: new Wallet(target.accounts[5]!.privateKey) });
      const uri = 'https://registrar.example/status/deployed';
      await ledger.anchor({ identity: target.accounts[5]!.address, listId: statusListId(uri), version: 1, digest: id('deployed'), uri });
      ledger.close();

      const wrong = await runCli(['ledger', 'deploy', '--rpc', target.url, '--private-key-file', keyFile, '--out', join(dir, 'x.json'), '--chain-id', '11155111', '--json']);
      expect(wrong.code).toBe(1);
      expect(JSON.parse(wrong.stdout.trim())).toMatchObject({ error: { code: 'CHAIN_ID_MISMATCH' } });
    } finally {
      await target.stop();
    }
  });
});
