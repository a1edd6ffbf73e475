/**
 * File-system steps the atomic build relies on: flushing a file and its
 * directory entry to disk before a rename publishes it, and removing a
 * private directory that holds read-only store-like trees (a directory with
 * mode 0555 cannot be emptied by a user who is not root).
 */
import { chmod, lstat, open, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** fsync of a file or a directory. */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => makeWritable(join(dir, e.name))));
}

/** Removes a directory tree, read-only parts included; missing is fine. */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch {
    await makeWritable(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

export async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

/**
 * The first of `path` and its ancestors, from the root down, that exists and
 * is not a directory: what stands in the way of making `path` (ENOTDIR).
 */
export async function firstNonDirectory(path: string): Promise<string | undefined> {
  const chain: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) {
    const st = await stat(p).catch(() => undefined);
    if (st === undefined) return undefined;
    if (!st.isDirectory()) return p;
  }
  return undefined;
}
