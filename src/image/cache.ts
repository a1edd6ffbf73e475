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
import { mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { NixError } from '../eval/errors.js';
import { systemErrorText } from '../eval/fileErrors.js';
import { firstNonDirectory, removeTree } from './files.js';

/** Bump when the image layout or the key's contents change meaning. */
const keyFormat = 1;

/** The cache directory and the setting that chose it, which is what a user fixes when it cannot be used. */
export interface CacheLocation {
  readonly dir: string;
  /** `TSPORTABLE_CACHE_DIR=/x`, `XDG_CACHE_HOME=/y`, `HOME=/z`. */
  readonly setting: string;
}

/**
 * `option`, else $TSPORTABLE_CACHE_DIR, else $XDG_CACHE_HOME/tsportable, else
 * ~/.cache/tsportable. A relative XDG_CACHE_HOME is ignored, as the XDG base
 * directory specification asks.
 */
export function cacheLocation(option?: string): CacheLocation {
  const env = process.env;
  if (option) return { dir: resolve(option), setting: `cache directory ${option}` };
  if (env.TSPORTABLE_CACHE_DIR) return { dir: resolve(env.TSPORTABLE_CACHE_DIR), setting: `TSPORTABLE_CACHE_DIR=${env.TSPORTABLE_CACHE_DIR}` };
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) {
    return { dir: join(env.XDG_CACHE_HOME, 'tsportable'), setting: `XDG_CACHE_HOME=${env.XDG_CACHE_HOME}` };
  }
  const home = homedir();
  return { dir: join(home, '.cache', 'tsportable'), setting: env.HOME ? `HOME=${env.HOME}` : `home directory ${home}` };
}

export function cacheRoot(option?: string): string {
  return cacheLocation(option).dir;
}

/**
 * The one-line error for a cache that cannot be made or written: which
 * setting chose it, where it is, and what is wrong, for a mistake in the
 * environment (exit 1), not a failed build.
 */
export async function unusableCache(cache: CacheLocation, e: unknown): Promise<NixError> {
  const code = (e as NodeJS.ErrnoException).code;
  let problem: string;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const blocker = (await firstNonDirectory(cache.dir)) ?? cache.dir;
    problem = blocker === cache.dir ? 'it is not a directory' : `${blocker} is not a directory`;
  } else {
    const made = await stat(cache.dir).then(() => true, () => false);
    problem = `${made ? 'it cannot be written' : 'it cannot be created'} (${systemErrorText(e)})`;
  }
  return new NixError('usage', `cannot use the image cache ${cache.dir} (${cache.setting}): ${problem}`);
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

/**
 * Where inspect remembers its findings on the image in the cache directory
 * `keyDir` (src/inspect/cachedFindings.ts): beside it, `<cache>/<key>.findings.json`.
 */
export function findingsFileOf(keyDir: string): string {
  return `${keyDir}.findings.json`;
}

/** Private work directories are named after their process, so that leftovers of a killed build can be recognised. */
export const workPrefix = '.tmp-';

/**
 * A private work directory in the cache, the cache made first if need be
 * (and the leftovers of killed builds swept); a cache that cannot be used
 * is the user's `unusableCache` error.
 */
export async function makeWorkDir(cache: CacheLocation): Promise<string> {
  try {
    await mkdir(cache.dir, { recursive: true });
    await sweepStaleWorkDirs(cache.dir);
    return await mkdtemp(join(cache.dir, `${workPrefix}${process.pid}-`));
  } catch (e) {
    throw await unusableCache(cache, e);
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `name` is a work directory (or file) of the cache left by a process that is gone. */
export function isStaleWorkName(name: string): boolean {
  const m = /^\.tmp-(\d+)-/.exec(name);
  return m !== null && Number(m[1]) !== process.pid && !processAlive(Number(m[1]));
}

/** Removes work directories whose process is gone (a build killed with SIGKILL cannot clean up after itself). */
async function sweepStaleWorkDirs(root: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (isStaleWorkName(name)) await removeTree(join(root, name));
  }
}
