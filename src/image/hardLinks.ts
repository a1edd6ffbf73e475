/**
 * One walk over the closure before mksquashfs, for two answers.
 *
 * Whether reading the closure straight from /nix would change the image. An
 * optimised store (`nix-store --optimise`, `auto-optimise-store`) hard-links
 * identical files, also across store paths. nixpkgs copies each store path
 * with its own `cp -a`, which keeps hard links inside one path and breaks
 * those between paths; mksquashfs reading /nix would keep all of them and
 * write different bytes. Only a hard link that spans two closure paths makes
 * a difference, and then the builder falls back to copying.
 *
 * And how many bytes of files mksquashfs will read: the 100% of its progress.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorePath } from './input.js';

export interface ClosureSurvey {
  /** Some file inode occurs in two different paths of the closure. */
  readonly crossPathHardLinks: boolean;
  /** The sizes of the closure's regular files, added up. */
  readonly fileBytes: number;
}

interface Walk {
  readonly seen: Map<string, StorePath>;
  crossPathHardLinks: boolean;
  fileBytes: number;
}

async function collect(path: string, owner: StorePath, walk: Walk): Promise<void> {
  const st = await lstat(path, { bigint: true });
  if (st.isFile()) {
    walk.fileBytes += Number(st.size);
    if (st.nlink <= 1n) return;
    const key = `${st.dev}:${st.ino}`;
    const other = walk.seen.get(key);
    if (other !== undefined && other !== owner) walk.crossPathHardLinks = true;
    walk.seen.set(key, owner);
    return;
  }
  if (!st.isDirectory()) return;
  const names = await readdir(path);
  await Promise.all(names.map((n) => collect(join(path, n), owner, walk)));
}

export async function surveyClosure(closure: readonly StorePath[]): Promise<ClosureSurvey> {
  const walk: Walk = { seen: new Map(), crossPathHardLinks: false, fileBytes: 0 };
  for (const p of closure) await collect(p, p, walk);
  return { crossPathHardLinks: walk.crossPathHardLinks, fileBytes: walk.fileBytes };
}
