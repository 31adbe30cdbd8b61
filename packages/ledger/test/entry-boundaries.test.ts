import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every specifier imported (statically or dynamically) by the files reachable from `entry`. */
function importGraph(entry: string): { files: string[]; bare: Set<string> } {
  const files: string[] = [];
  const bare = new Set<string>();
  const queue = [resolve(src, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) queue.push(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.add(spec);
    }
  }
  return { files, bare };
}

describe('entry points', () => {
  it('the main entry (@cradle/ledger) never imports node: modules or Hardhat', () => {
    const { files, bare } = importGraph('index.ts');
    expect(files.some((f) => f.endsWith('devchain.ts'))).toBe(false);
    expect([...bare].filter((s) => s.startsWith('node:') || s.startsWith('hardhat'))).toEqual([]);
    expect([...bare].sort()).toEqual(['@cradle/core', 'did-resolver', 'ethers', 'ethr-did-registry', 'ethr-did-resolver']);
  });

  it('Hardhat is only reached through @cradle/ledger/devchain', () => {
    expect([...importGraph('devchain.ts').bare].filter((s) => s.startsWith('hardhat'))).not.toEqual([]);
  });

  it('installing @cradle/ledger installs neither an EVM nor a Solidity compiler: hardhat is an optional peer of /devchain, solc a dev tool', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    expect(Object.keys(pkg.dependencies).filter((d) => d === 'hardhat' || d === 'solc')).toEqual([]);
    expect(pkg.peerDependenciesMeta?.hardhat?.optional).toBe(true);
  });
});
