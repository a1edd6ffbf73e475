/** Reading an image offline with unsquashfs, for assertions. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

export interface ListedEntry {
  readonly perms: string;
  readonly owner: string;
  readonly date: string;
  /** Path inside the image, '' for the root. */
  readonly path: string;
  readonly target?: string;
}

/** `unsquashfs -lln`: every entry with its permissions, numeric owner, time and symlink target. */
export async function listImage(image: string): Promise<Map<string, ListedEntry>> {
  const { stdout } = await execa('unsquashfs', ['-d', '', '-lln', image]);
  const entries = new Map<string, ListedEntry>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S{10}) (\d+\/\d+)\s+\d+ (\S+ \S+) (.*)$/.exec(line);
    if (!m) continue;
    const [, perms, owner, date, rest] = m;
    const arrow = rest.indexOf(' -> ');
    const full = arrow < 0 ? rest : rest.slice(0, arrow);
    const path = full.replace(/^\/?/, '');
    entries.set(path, { perms, owner, date, path, ...(arrow < 0 ? {} : { target: rest.slice(arrow + 4) }) });
  }
  return entries;
}

export async function catImage(image: string, path: string): Promise<string> {
  const { stdout } = await execa('unsquashfs', ['-cat', image, path], { stripFinalNewline: false });
  return stdout;
}

export async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}
