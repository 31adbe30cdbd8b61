// `pnpm cradle …` from the repository: the built CLI when it is up to date, else the TypeScript sources.
//
// The built CLI (`packages/cli/dist/bin.js`) starts as fast as the published binary; running the
// sources through tsx costs seconds per call (every module of the graph goes through the loader). So when
// every workspace package the CLI runs on has a `dist/` at least as new as each of its sources (and its
// package.json and tsconfig.build.json), the built code runs, in this process; otherwise (a fresh clone
// before `pnpm build`, or any source edited since) the sources run, exactly as before. `CRADLE_FROM_SOURCE=1`
// forces the sources. Nothing is printed about the choice: stdout stays the command's own.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The packages the CLI imports at run time (cli -> issuer|holder|verifier -> ledger -> core). */
const PACKAGES = ['core', 'ledger', 'issuer', 'holder', 'verifier', 'cli'];

/** Newest (or oldest) modification time of the files under `dir`, recursively; undefined when there are none. */
function mtimeOf(dir, pick) {
  let out;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    const t = e.isDirectory() ? mtimeOf(path, pick) : statSync(path).mtimeMs;
    if (t !== undefined) out = out === undefined ? t : pick(out, t);
  }
  return out;
}

/** True when every package's dist/ was written after the last change to what it is built from. */
export function builtIsFresh(root = ROOT) {
  for (const name of PACKAGES) {
    const pkg = join(root, 'packages', name);
    const built = mtimeOf(join(pkg, 'dist'), Math.min);
    if (built === undefined) return false;
    let source = mtimeOf(join(pkg, 'src'), Math.max) ?? 0;
    for (const f of ['package.json', 'tsconfig.build.json']) {
      try {
        source = Math.max(source, statSync(join(pkg, f)).mtimeMs);
      } catch {
        // not every package has both
      }
    }
    if (source > built) return false;
  }
  return true;
}

async function main() {
  if (process.env.CRADLE_FROM_SOURCE !== '1' && builtIsFresh()) {
    // dist/bin.js parses process.argv itself; argv[1] (this script) is skipped like the binary's path.
    await import(pathToFileURL(join(ROOT, 'packages', 'cli', 'dist', 'bin.js')).href);
    return;
  }
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(ROOT, 'packages', 'cli', 'src', 'bin.ts'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl+C reaches both processes (one process group): this one waits for the command to finish. A
  // supervisor's SIGTERM or SIGHUP, sent to this process alone, is passed on.
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
