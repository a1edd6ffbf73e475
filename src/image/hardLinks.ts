/**
 * Whether reading the closure straight from /nix would change the image. An
 * optimised store (`nix-store --optimise`, `auto-optimise-store`) hard-links
 * identical files, also across store paths. nixpkgs copies each store path
 * with its own `cp -a`, which keeps hard links inside one path and breaks
 * those between paths; mksquashfs reading /nix would keep all of them and
 * write different bytes. Only a hard link that spans two closure paths makes
 * a difference, and then the builder falls back to copying.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorePath } from './input.js';

async function collect(path: string, owner: StorePath, seen: Map<string, StorePath>): Promise<boolean> {
  const st = await lstat(path, { bigint: true });
  if (st.isFile()) {
    if (st.nlink <= 1n) return false;
    const key = `${st.dev}:${st.ino}`;
    const other = seen.get(key);
    if (other !== undefined && other !== owner) return true;
    seen.set(key, owner);
    return false;
  }
  if (!st.isDirectory()) return false;
  const names = await readdir(path);
  const results = await Promise.all(names.map((n) => collect(join(path, n), owner, seen)));
  return results.some((r) => r);
}

/** True when some file inode occurs in two different paths of `closure`. */
export async function hasCrossPathHardLinks(closure: readonly StorePath[]): Promise<boolean> {
  const seen = new Map<string, StorePath>();
  for (const p of closure) {
    if (await collect(p, p, seen)) return true;
  }
  return false;
}
