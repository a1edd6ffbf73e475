/**
 * Garbage collection of the image cache, on the model of Nix's indirect
 * roots. Each result link a build makes is recorded in `<cache>/roots/` as a
 * symlink to the link (named after a hash of the link's path); at collection
 * a root whose link is gone, or no longer points into this cache, is dead,
 * and an image no live root reaches is removed. Builds that are running hold
 * their image too: before a build looks its image up it makes a pending root
 * `roots/.pending-<pid>-<key>`, removed once its link is made (Nix's temporary
 * roots); the work directories `.tmp-<pid>-…` of running processes are never
 * touched, those of dead processes are removed.
 *
 * The race with a build that starts while the collector runs is settled by
 * the order of steps on each side. A build makes its pending root, then
 * looks for the image. The collector moves a dead image aside (an atomic
 * rename to a work directory of its own), then reads the pending roots again:
 * if a build has claimed the image meanwhile, it moves it back; otherwise it
 * deletes it. A build that looked before the move sees the image come back; a
 * build that looked after builds the image anew.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, realpath, rename, rm, unlink } from 'node:fs/promises';
import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { findingsFileOf, isStaleWorkName, processAlive, unusableCache, workPrefix, type CacheLocation } from './cache.js';
import { removeTree } from './files.js';

const rootsDir = 'roots';
const pendingPrefix = '.pending-';

/** A finished image's directory in the cache: the 64 hex digits of its key (see cache.ts). */
const keyName = /^[0-9a-f]{64}$/;

/**
 * Records the result link `link` (absolute) as a root of the cache, before
 * the link is made: a root without its link is dead, never the reverse.
 */
export async function recordRoot(cache: CacheLocation, link: string): Promise<void> {
  const root = rootOf(cache, link);
  // Synchronous, as holdImage: a few quick steps, and a cached rebuild's only ones (no thread pool to start).
  try {
    mkdirSync(dirname(root), { recursive: true });
    const temp = `${root}${workPrefix}${process.pid}`;
    rmSync(temp, { force: true });
    symlinkSync(link, temp);
    renameSync(temp, root);
  } catch (e) {
    throw await unusableCache(cache, e);
  }
}

/** The root that records the result link `link` (absolute). */
export function rootOf(cache: CacheLocation, link: string): string {
  return join(cache.dir, rootsDir, createHash('sha256').update(link).digest('hex').slice(0, 32));
}

/** Holds the image `key` for this process until `release` (a pending root). */
export async function holdImage(cache: CacheLocation, key: string): Promise<{ release(): Promise<void> }> {
  const marker = join(cache.dir, rootsDir, `${pendingPrefix}${process.pid}-${key}`);
  try {
    mkdirSync(dirname(marker), { recursive: true });
    try {
      symlinkSync(key, marker);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  } catch (e) {
    throw await unusableCache(cache, e);
  }
  return { release: async () => rmSync(marker, { force: true }) };
}

export interface GcImage {
  readonly dir: string;
  /** The `.raw` file names in it (one, normally). */
  readonly files: readonly string[];
  readonly bytes: number;
}

export interface GcResult {
  /** The images removed, or that would be with `dryRun`. */
  readonly removed: readonly GcImage[];
  /** Work directories of processes that are gone, removed (or that would be). */
  readonly leftovers: readonly GcImage[];
  /** The images kept: a live result link or a running build holds them. */
  readonly kept: readonly GcImage[];
  /** How many result links are live. */
  readonly liveLinks: number;
  /** How many running builds hold an image. */
  readonly runningBuilds: number;
  /** Bytes of everything removed (or that would be). */
  readonly bytesFreed: number;
}

export async function collectGarbage(cache: CacheLocation, options: { readonly dryRun?: boolean } = {}): Promise<GcResult> {
  const names = await readdir(cache.dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  const cacheReal = names.length ? await realpath(cache.dir) : cache.dir;
  const { liveKeys, liveLinks, runningBuilds } = await liveRoots(cache, cacheReal, options.dryRun ?? false);
  const removed: GcImage[] = [];
  const kept: GcImage[] = [];
  const leftovers: GcImage[] = [];
  for (const name of names.sort()) {
    const dir = join(cache.dir, name);
    if (isStaleWorkName(name)) {
      leftovers.push(await describe(dir));
      if (!options.dryRun) await removeTree(dir);
      continue;
    }
    if (!keyName.test(name)) continue;
    const image = await describe(dir);
    if (liveKeys.has(name)) {
      kept.push(image);
      continue;
    }
    if (options.dryRun || (await removeUnlessClaimed(cache, name))) removed.push(image);
    else kept.push(image);
  }
  if (!options.dryRun) await removeRecordsOf(cache, new Set(removed.map((i) => basename(i.dir))));
  const bytesFreed = [...removed, ...leftovers].reduce((n, i) => n + i.bytes, 0);
  return { removed, leftovers, kept, liveLinks, runningBuilds, bytesFreed };
}

/**
 * The keys live roots reach: result links that still point into this cache,
 * and pending roots of running builds. Dead roots are removed (unless `dryRun`).
 */
async function liveRoots(cache: CacheLocation, cacheReal: string, dryRun: boolean): Promise<{ liveKeys: Set<string>; liveLinks: number; runningBuilds: number }> {
  const liveKeys = new Set<string>();
  let liveLinks = 0;
  let runningBuilds = 0;
  const dir = join(cache.dir, rootsDir);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const root = join(dir, name);
    const key = name.startsWith(pendingPrefix) ? pendingKey(name) : await linkedKey(root, cacheReal);
    if (key !== undefined) {
      liveKeys.add(key);
      if (name.startsWith(pendingPrefix)) runningBuilds++;
      else liveLinks++;
    } else if (!dryRun) {
      await unlink(root).catch(() => undefined);
    }
  }
  return { liveKeys, liveLinks, runningBuilds };
}

/** The key a pending root holds while its process runs. */
function pendingKey(name: string): string | undefined {
  const m = /^\.pending-(\d+)-([0-9a-f]{64})$/.exec(name);
  return m && processAlive(Number(m[1])) ? m[2] : undefined;
}

/** The key the result link recorded by `root` points to, if it still points into the cache. */
async function linkedKey(root: string, cacheReal: string): Promise<string | undefined> {
  try {
    const link = resolve(dirname(root), await readlink(root));
    if (!(await lstat(link)).isSymbolicLink()) return undefined;
    const target = await realpath(link);
    return dirname(target) === cacheReal && keyName.test(basename(target)) ? basename(target) : undefined;
  } catch {
    return undefined;
  }
}

/** Moves the image aside, then deletes it unless a build claimed it meanwhile (then it goes back). */
async function removeUnlessClaimed(cache: CacheLocation, key: string): Promise<boolean> {
  const dir = join(cache.dir, key);
  const aside = join(cache.dir, `${workPrefix}${process.pid}-gc-${key}`);
  try {
    await rename(dir, aside);
  } catch {
    return false;
  }
  const claimed = (await readdir(join(cache.dir, rootsDir)).catch(() => [] as string[])).some((n) => pendingKey(n) === key);
  if (claimed) {
    await rename(aside, dir).catch(() => removeTree(aside));
    return false;
  }
  await removeTree(aside);
  // What inspect remembered about the image beside its directory (src/inspect/cachedFindings.ts).
  await rm(findingsFileOf(dir), { force: true });
  return true;
}

/** The cached rebuilds' records (src/cli/rebuild.ts) that answer with a removed image: they could only send the next build the long way. */
async function removeRecordsOf(cache: CacheLocation, keys: ReadonlySet<string>): Promise<void> {
  if (keys.size === 0) return;
  const dir = join(cache.dir, 'rebuilds');
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = join(dir, name);
    try {
      const record = JSON.parse(await readFile(file, 'utf8')) as { images?: { key?: string }[] };
      if (record.images?.some((i) => i.key !== undefined && keys.has(i.key))) await rm(file, { force: true });
    } catch {
      // being written (a temporary name), or damaged: the next build replaces it
    }
  }
}

async function describe(dir: string): Promise<GcImage> {
  const files: string[] = [];
  let bytes = 0;
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => undefined);
    if (!st) return;
    if (st.isDirectory()) {
      for (const n of await readdir(p).catch(() => [] as string[])) await walk(join(p, n));
      return;
    }
    bytes += st.size;
    if (p.endsWith('.raw') && dirname(p) === dir) files.push(basename(p));
  };
  await walk(dir);
  return { dir, files: files.sort(), bytes };
}
