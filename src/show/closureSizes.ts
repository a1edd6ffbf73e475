/**
 * `show --closure`'s sizes, read from the store on disk with the definition
 * `inspect` uses on an image (src/inspect/sizes.ts), so the two agree on every
 * store path: the bytes of its regular files, hard links inside a path once.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { storePathSizes, type SizedEntry } from '../inspect/sizes.js';
import type { ClosureEntry } from './plan.js';

async function walk(path: string, out: SizedEntry[]): Promise<void> {
  const st = await lstat(path, { bigint: true });
  if (st.isFile()) {
    out.push({ path, size: Number(st.size), identity: st.nlink > 1n ? `${st.dev}:${st.ino}` : path });
    return;
  }
  out.push({ path, size: 0 });
  if (!st.isDirectory()) return;
  for (const name of await readdir(path)) await walk(join(path, name), out);
}

/** Each store path of `closure` with its size. */
export async function closureSizes(closure: readonly string[]): Promise<ClosureEntry[]> {
  const entries: SizedEntry[] = [];
  for (const p of closure) await walk(p, entries);
  return storePathSizes(entries);
}
