/**
 * Reads images the way a reviewer would, with squashfs-tools itself:
 * `unsquashfs -lls` for the tree (type, mode, owner, symlink target),
 * `unsquashfs -cat` for one file, `unsquashfs -s` for the superblock, and an
 * extraction when every file's contents must be compared.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface ImageEntry {
  /** Path inside the image without the leading '/', '' for the root. */
  readonly path: string;
  /** `ls -l` mode string, e.g. 'dr-xr-xr-x'. */
  readonly mode: string;
  readonly owner: string;
  /** Bytes for files and symlinks; squashfs' own figure for directories. */
  readonly size: number;
  readonly mtime: string;
  readonly target?: string;
}

const root = 'squashfs-root';
const line = /^(\S{10})\s+(\S+)\s+(\d+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d)\s+squashfs-root(\/[^\n]*?)?(?: -> (.*))?$/;

/** Every entry of the image, by path. */
export async function listImage(image: string): Promise<Map<string, ImageEntry>> {
  const { stdout } = await execa('unsquashfs', ['-lls', image]);
  const entries = new Map<string, ImageEntry>();
  for (const text of stdout.split('\n')) {
    if (!text.includes(root)) continue;
    const m = line.exec(text);
    if (!m) throw new Error(`unexpected unsquashfs -lls line: ${text}`);
    const path = (m[5] ?? '').replace(/^\//, '');
    entries.set(path, {
      path, mode: m[1]!, owner: m[2]!, size: Number(m[3]), mtime: m[4]!,
      ...(m[6] !== undefined ? { target: m[6] } : {}),
    });
  }
  return entries;
}

/** The contents of one file of the image. */
export async function catImage(image: string, path: string): Promise<string> {
  const { stdout } = await execa('unsquashfs', ['-cat', image, path], { stripFinalNewline: false });
  return stdout;
}

/** The bytes of one file of the image. */
export async function catImageBytes(image: string, path: string): Promise<Buffer> {
  const { stdout } = await execa('unsquashfs', ['-cat', image, path], { stripFinalNewline: false, encoding: 'buffer' });
  return Buffer.from(stdout);
}

/** `unsquashfs -s`: compression name and block size. */
export async function superblock(image: string): Promise<{ compression: string; blockSize: number; created: string }> {
  const { stdout } = await execa('unsquashfs', ['-s', image]);
  return {
    compression: /^Compression (\S+)/m.exec(stdout)?.[1] ?? '?',
    blockSize: Number(/^Block size (\d+)/m.exec(stdout)?.[1] ?? NaN),
    created: /^Creation or last append time (.*)$/m.exec(stdout)?.[1] ?? '?',
  };
}

/** Top-level store paths in the image (`/nix/store/<hash>-<name>`). */
export function storePathsIn(entries: Map<string, ImageEntry>): string[] {
  return [...entries.keys()].filter((p) => /^nix\/store\/[^/]+$/.test(p)).map((p) => `/${p}`).sort();
}

/** sha256 of every regular file's contents, by image path (extracts into a temporary directory). */
export async function fileDigests(image: string): Promise<Map<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'tsportable-e2e-extract-'));
  const out = join(dir, 'x');
  try {
    await execa('unsquashfs', ['-no-progress', '-no-xattrs', '-d', out, image]);
    const digests = new Map<string, string>();
    const walk = async (rel: string): Promise<void> => {
      for (const e of await readdir(join(out, rel), { withFileTypes: true })) {
        const p = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) digests.set(p, createHash('sha256').update(await readFile(join(out, p))).digest('hex'));
      }
    };
    await walk('');
    return digests;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Store paths mentioned in a text (unit files, symlink targets). */
export function storePathsMentioned(text: string): string[] {
  return [...new Set(text.match(/\/nix\/store\/[0-9a-df-np-sv-z]{32}-[^/\s"'$;]+/g) ?? [])].sort();
}
