import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CradleError, base64UrlDecode, base64UrlEncode } from '@cradle/core';
import { MemoryVerifierStore } from '../memory-store.js';
import type { CachedStatusList, CheckpointState } from '../store.js';

/** File name of the checkpoint state inside the store directory. */
export const STATE_FILE = 'checkpoint-state.json';

type SerializedList = Omit<CachedStatusList, 'bits'> & { bits: string };
type SerializedState = Omit<CheckpointState, 'statusLists'> & { format: 1; statusLists: SerializedList[] };

function serialize(state: CheckpointState): string {
  const out: SerializedState = { format: 1, ...state, statusLists: state.statusLists.map((l) => ({ ...l, bits: base64UrlEncode(l.bits) })) };
  return `${JSON.stringify(out)}\n`;
}

function deserialize(text: string, path: string): CheckpointState {
  try {
    const raw = JSON.parse(text) as SerializedState;
    if (raw.format !== 1) throw new Error(`unknown format ${String(raw.format)}`);
    const { format: _format, ...rest } = raw;
    return { ...rest, statusLists: raw.statusLists.map((l) => ({ ...l, bits: base64UrlDecode(l.bits) })) };
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', `The checkpoint state ${path} is unreadable. Restore it from a backup, or run \`cradle checkpoint init\` in a new directory and sync again.`, { cause });
  }
}

/**
 * A {@link VerifierStore} in one JSON file inside a directory. Every write goes to a temporary file
 * that is flushed to disk and then renamed over the state file, so a crash or power cut during sync
 * leaves either the old state or the new one, never a mix. One writer at a time (one CLI process).
 *
 * @example
 * ```ts
 * const store = await FileVerifierStore.open('/var/lib/cradle/checkpoint');
 * await sync({ store });
 * ```
 */
export class FileVerifierStore extends MemoryVerifierStore {
  readonly dir: string;
  readonly path: string;

  private constructor(dir: string, state?: CheckpointState) {
    super(state);
    this.dir = dir;
    this.path = join(dir, STATE_FILE);
  }

  /** Open (or, with `create`, start) the store in `dir`. Throws `NOT_FOUND` if there is none and `create` is false. */
  static async open(dir: string, opts: { create?: boolean } = {}): Promise<FileVerifierStore> {
    const path = join(dir, STATE_FILE);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await removeStaleTemps(dir);
    if (text === undefined) {
      if (!opts.create) {
        throw new CradleError('NOT_FOUND', `No checkpoint in ${dir}: run \`cradle checkpoint init --ledger FILE --home ${dir}\` first.`, { details: { dir } });
      }
      await mkdir(dir, { recursive: true, mode: 0o700 });
      return new FileVerifierStore(dir);
    }
    return new FileVerifierStore(dir, deserialize(text, path));
  }

  protected override async persist(next: CheckpointState): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(serialize(next), 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
}

/** `<state file>.<pid>.<ms>.tmp`: the temporary file of one write by process `pid`. */
const TEMP_PATTERN = new RegExp(`^${STATE_FILE.replace(/\./g, '\\.')}\\.(\\d+)\\.\\d+\\.tmp$`);

/**
 * Remove temporary files left by writers that no longer run (a process killed during `sync` never
 * reaches its rename). A file of a live process is left alone: that process is still writing it.
 */
async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(TEMP_PATTERN.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}
