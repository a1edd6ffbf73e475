/**
 * The `result` symlink, replaced the way nix-build's is, never left half-done:
 * missing parent directories are created (as nix-build does for `-o
 * some/dir/result`), the new link is made under a unique temporary name in
 * the same directory and renamed over the old one, which is atomic. If
 * anything fails, the old link stays as it was, the temporary link and the
 * directories made for it are removed, and the error names the link and what
 * is in the way: a link that cannot be made is the user's matter (exit 1,
 * as nix-build), not a failed build; the image is already in the cache.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, renameSync, symlinkSync, type Stats } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { NixError } from '../eval/errors.js';
import { systemErrorText } from '../eval/fileErrors.js';
import { exists, firstNonDirectory, removeTree } from './files.js';

/** Points `link` at `target` atomically; returns the link's absolute path. */
export async function replaceLink(link: string, target: string): Promise<string> {
  const abs = resolve(link);
  // Synchronous steps (gc.ts's recordRoot says why); only the error paths wait.
  const existing = lstatOrNothing(abs);
  if (existing && !existing.isSymbolicLink()) {
    throw linkError(abs, target, 'a file or directory of that name exists and is not a symlink');
  }
  const dir = dirname(abs);
  let made: string | undefined;
  try {
    made = mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw linkError(abs, target, await problem(e, dir));
  }
  const temp = join(dir, `.${basename(abs)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    symlinkSync(target, temp);
    renameSync(temp, abs);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (made !== undefined) await removeTree(made);
    throw linkError(abs, target, await problem(e, dir));
  }
  return abs;
}

/** What is at `path`, or undefined when nothing can be seen there (missing, or under a file: said when making the link fails). */
function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function linkError(link: string, target: string, why: string): NixError {
  const err = new NixError('usage', `cannot create the result link ${link}: ${why}`);
  err.hints.push(`the image is in the cache: ${target}`);
  return err;
}

/** What stops a link from being made in `dir`, in the user's terms. */
async function problem(e: unknown, dir: string): Promise<string> {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const blocker = await firstNonDirectory(dir);
    if (blocker !== undefined) return `${blocker} is not a directory`;
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    // The directory that refused: `dir`, or the deepest of its ancestors that exists when parents were to be made.
    let where = dir;
    while (!(await exists(where)) && dirname(where) !== where) where = dirname(where);
    return `cannot write in ${where} (${systemErrorText(e)})`;
  }
  return systemErrorText(e);
}
