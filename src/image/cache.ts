/**
 * tsportable's own store of finished images. An image is a pure function of
 * the closure (store paths never change once valid), the scaffold (paths,
 * modes, unit texts, os-release, symlink targets), the mksquashfs options and
 * the mksquashfs program and version; the sha256 of those names a directory
 * `<cache>/<key>/` holding `<pname>_<version>.raw`, the directory the
 * `result` link points to. A key directory appears only by an atomic rename
 * of a finished one, so its existence means the image is complete.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { removeTree } from './files.js';

/** Bump when the image layout or the key's contents change meaning. */
const keyFormat = 1;

/** `option`, else $TSPORTABLE_CACHE_DIR, else $XDG_CACHE_HOME/tsportable, else ~/.cache/tsportable. */
export function cacheRoot(option?: string): string {
  const env = process.env;
  if (option) return resolve(option);
  if (env.TSPORTABLE_CACHE_DIR) return resolve(env.TSPORTABLE_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), 'tsportable');
  return join(homedir(), '.cache', 'tsportable');
}

export interface KeyParts {
  readonly fileName: string;
  readonly closure: readonly string[];
  readonly scaffold: readonly unknown[];
  readonly compression: readonly string[];
  readonly blockSize: string;
  /** The program as given and its `-version` line: another build of the same version may write other bytes. */
  readonly mksquashfs: string;
  readonly mksquashfsVersion: string;
}

export function cacheKey(parts: KeyParts): string {
  const json = JSON.stringify({ keyFormat, ...parts });
  return createHash('sha256').update(json).digest('hex');
}

/** Private work directories are named after their process, so that leftovers of a killed build can be recognised. */
const workPrefix = '.tmp-';

export function makeWorkDir(root: string): Promise<string> {
  return mkdtemp(join(root, `${workPrefix}${process.pid}-`));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes work directories whose process is gone (a build killed with SIGKILL cannot clean up after itself). */
export async function sweepStaleWorkDirs(root: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const m = /^\.tmp-(\d+)-/.exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) await removeTree(join(root, name));
  }
}
