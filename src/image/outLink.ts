/**
 * The `result` symlink, replaced the way nix-build's is never left half-done:
 * the new link is made under a unique temporary name in the same directory
 * and renamed over the old one, which is atomic. If anything fails, the old
 * link stays as it was and the temporary one is removed.
 */
import { randomBytes } from 'node:crypto';
import { lstat, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { NixError } from '../eval/errors.js';

/** Points `link` at `target` atomically; returns the link's absolute path. */
export async function replaceLink(link: string, target: string): Promise<string> {
  const abs = resolve(link);
  const existing = await lstat(abs).catch(() => undefined);
  if (existing && !existing.isSymbolicLink()) {
    throw new NixError('build', `cannot create the result link ${abs}: a file or directory of that name exists and is not a symlink`);
  }
  const temp = join(dirname(abs), `.${basename(abs)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await symlink(target, temp);
    await rename(temp, abs);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new NixError('build', `cannot create the result link ${abs}: ${(e as Error).message}`);
  }
  return abs;
}
