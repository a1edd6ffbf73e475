/**
 * Which file is an image: what `inspect` is given (an image, or a directory
 * holding one, as nix-build's and tsportable's `result` is), and what `show`
 * must not read as Nix (an image given where a Nix file is expected).
 */
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';

/** Every squashfs image starts with this (little-endian `hsqs`). */
const squashfsMagic = Buffer.from('hsqs', 'latin1');

export function isSquashfsImage(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(squashfsMagic);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The `.raw` files directly in a directory, sorted. */
function rawFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.raw')).sort();
}

/**
 * The image a path names: the path itself, or the one `.raw` file of a
 * directory (`inspect result`). `shown` is the path as the user wrote it.
 */
export function imageFileOf(path: string, shown: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NixError('usage', code === 'EACCES' ? `inspect: '${shown}': permission denied` : `inspect: '${shown}' does not exist`);
  }
  if (!st.isDirectory()) return path;
  const raws = rawFilesIn(path);
  if (raws.length === 1) return join(path, raws[0]!);
  throw new NixError('usage', raws.length === 0
    ? `inspect: the directory '${shown}' holds no .raw image`
    : `inspect: the directory '${shown}' holds several images (${raws.join(', ')}); name one, e.g. tsportable inspect ${join(shown, raws[0]!)}`);
}

/**
 * For `show FILE`: a NixError when FILE is an image (or a directory holding
 * one and no default.nix) rather than a Nix file, pointing to `inspect`.
 */
export function refuseImageAsNix(path: string, shown: string): void {
  let image: string | undefined;
  try {
    if (statSync(path).isDirectory()) {
      const raws = rawFilesIn(path);
      if (raws.length > 0 && !existsFile(join(path, 'default.nix'))) image = shown;
    } else if (isSquashfsImage(path)) {
      image = shown;
    }
  } catch {
    return; // missing or unreadable: the evaluator says so, as Nix does
  }
  if (image !== undefined) {
    throw new NixError('usage', `'${shown}' is a portable-service image, not a Nix file: show previews an image from the Nix file that describes it; to look inside a built image, run: tsportable inspect ${image}`);
  }
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
