import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimsFromFlatRecord } from '@cradle/core';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import type { Registrar } from '@cradle/issuer';
import { createWallet } from '@cradle/holder';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import type { DemoWorld, StatusServer } from './context.js';
import type { Narrator } from './narrator.js';
import { short } from './describe.js';

type Cleanups = (() => Promise<unknown>)[];

/** Step: a local EVM (Hardhat EDR) in this process. */
export async function startChain(n: Narrator, cleanups: Cleanups): Promise<DevChain> {
  return n.step('Start a local ledger (an Ethereum-compatible chain on this machine)', async () => {
    const c = await startDevChain({ port: 0 });
    cleanups.push(() => c.stop());
    n.say(`Chain ${c.config.chainId} at ${c.url}; DID registry ${short(c.config.registry)}, anchor contract ${short(c.config.anchor)}.`);
    return c;
  });
}

/** Step: the registrar, its identity on the ledger, and its status-list server on `port`. */
export async function setUpRegistrar(
  n: Narrator,
  cleanups: Cleanups,
  opts: { workDir: string; secret: string; chain: DevChain; port: number; alertRecipients: readonly unknown[] },
): Promise<{ registrar: Registrar; server: StatusServer }> {
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const registrar = await n.step('Set up the civil registrar (keys encrypted at rest, identity on the ledger)', async () => {
    const r = await createRegistrar({ home: join(opts.workDir, 'registrar'), secret: opts.secret, ledger: opts.chain.config, baseUrl, alertRecipients: opts.alertRecipients });
    cleanups.push(() => r.close());
    const init = await r.init();
    n.say(`Registrar identity: ${init.did}`);
    n.say('Its signing key (Ed25519) is published on the ledger with an explicit 5-year validity.');
    n.say("Its child-protection alert lists are encrypted to the border checkpoints' alert key.");
    return r;
  });
  const server = await startStatusServer(registrar, opts.port);
  cleanups.push(() => server.close());
  return { registrar, server };
}

/** Step: the guardian's wallet with a DID for her and for each of three children. */
export async function setUpWallet(n: Narrator, cleanups: Cleanups, opts: { workDir: string; secret: string }): Promise<DemoWorld['wallet']> {
  return n.step("Create the guardian's wallet and DIDs for her and three children", async () => {
    const w = await createWallet({ home: join(opts.workDir, 'wallet'), secret: opts.secret });
    cleanups.push(() => w.close());
    const guardian = (await w.createDid({ label: 'Grace (guardian)' })).did;
    const father = (await w.createDid({ label: 'Peter (father of child 1)' })).did;
    const children: string[] = [];
    for (const label of ['child 1', 'child 2', 'child 3']) children.push((await w.createDid({ label })).did);
    n.say(`Guardian: ${short(guardian)}; children: ${children.map(short).join(', ')}; the first child's father: ${short(father)}`);
    return { w, guardian, father, children };
  });
}

/** The registrar's HTTP service on 127.0.0.1:`port` (status lists for the checkpoint's sync). */
export async function startStatusServer(registrar: Registrar, port: number): Promise<StatusServer> {
  const app = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
  await app.listen({ host: '127.0.0.1', port });
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

/** The claims of the three demo children, from `examples/data` (the same files the examples use). */
export async function loadDemoClaims(): Promise<Record<string, unknown>[]> {
  const data = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../examples/data');
  const first = JSON.parse(await readFile(join(data, 'birth-registration.json'), 'utf8')) as Record<string, unknown>;
  const csv = (await readFile(join(data, 'children.csv'), 'utf8')).trim().split('\n');
  const header = csv[0]!.split(',');
  const rows = csv.slice(1, 3).map((line) => {
    const cells = line.split(',');
    return claimsFromFlatRecord(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))) as Record<string, unknown>;
  });
  return [first, ...rows];
}

