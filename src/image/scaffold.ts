/**
 * The root scaffold: everything in the image outside /nix/store. nixpkgs
 * builds it as a store path, so Nix has made it read-only before mksquashfs
 * reads it: directories 0555, files 0444 (0555 when executable), symlinks
 * as they are. tsportable plans the same tree in memory (the plan also feeds
 * the reference scan and the cache key) and writes it into a private
 * directory with those modes. Unit files are copied, never hard-linked:
 * mksquashfs turns a second name for one inode into a hard link, which would
 * change the image's bytes. Texts and names are Nix strings: written as
 * their bytes (value/bytes.ts).
 */
import { chmod, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import { placeSymlinks, scaffoldDirs, type ImageInput } from './input.js';
import { compareBytes, encodeBytes, osPath } from '../eval/value/bytes.js';

export type ScaffoldEntry =
  | { readonly path: string; readonly kind: 'dir' }
  | { readonly path: string; readonly kind: 'file'; readonly content: Uint8Array; readonly executable: boolean }
  | { readonly path: string; readonly kind: 'symlink'; readonly target: string };

/** The planned tree: entries keyed by their path relative to the image root, parents before children. */
export interface ScaffoldPlan {
  readonly entries: readonly ScaffoldEntry[];
}

async function readUnit(name: string, file: string): Promise<{ content: Uint8Array; executable: boolean }> {
  try {
    // `cp` follows a symlink given as its source, so reading and stat follow it too.
    const content = await readFile(file);
    const { mode } = await stat(file);
    return { content, executable: (mode & 0o111) !== 0 };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory, not a unit file' : (e as Error).message;
    throw new NixError('build', `cannot read unit '${name}' from ${file}: ${reason}`);
  }
}

/** Plans the scaffold of an already validated input. */
export async function planScaffold(input: ImageInput): Promise<ScaffoldPlan> {
  const entries = new Map<string, ScaffoldEntry>();
  const dir = (path: string) => { if (!entries.has(path)) entries.set(path, { path, kind: 'dir' }); };
  for (const d of scaffoldDirs) dir(d);
  const empty = new Uint8Array(0);
  entries.set('etc/resolv.conf', { path: 'etc/resolv.conf', kind: 'file', content: empty, executable: false });
  entries.set('etc/machine-id', { path: 'etc/machine-id', kind: 'file', content: empty, executable: false });
  entries.set('etc/os-release', { path: 'etc/os-release', kind: 'file', content: encodeBytes(input.osRelease), executable: false });
  const units = await Promise.all(input.units.map((u) => readUnit(u.name, u.file)));
  input.units.forEach((u, i) => {
    const path = `etc/systemd/system/${u.name}`;
    entries.set(path, { path, kind: 'file', ...units[i] });
  });
  for (const link of placeSymlinks(input)) {
    if (typeof link === 'string') throw new NixError('build', link);
    for (const d of link.dirs) dir(d);
    entries.set(link.path, { path: link.path, kind: 'symlink', target: link.target });
  }
  return { entries: [...entries.values()] };
}

/** Every byte string of the scaffold that Nix's reference scan would read. */
export function* scaffoldBytes(plan: ScaffoldPlan): Iterable<Uint8Array> {
  for (const e of plan.entries) {
    yield encodeBytes(e.path);
    if (e.kind === 'file') yield e.content;
    if (e.kind === 'symlink') yield encodeBytes(e.target);
  }
}

/** The names at the image root that come from the scaffold, in the order a shell glob lists them. */
export function topLevelNames(plan: ScaffoldPlan): string[] {
  const names = new Set(plan.entries.map((e) => e.path.split('/')[0]));
  return [...names].sort(compareBytes);
}

/** A stable description of the scaffold for the cache key: paths, kinds, modes and contents. */
export function describeScaffold(plan: ScaffoldPlan): unknown[] {
  return plan.entries.map((e) =>
    e.kind === 'file'
      ? [e.path, 'file', e.executable ? 0o555 : 0o444, Buffer.from(e.content).toString('base64')]
      : e.kind === 'symlink' ? [e.path, 'symlink', e.target] : [e.path, 'dir'],
  );
}

/** Writes the plan under `root` with the modes of a store path. */
export async function writeScaffold(root: string, plan: ScaffoldPlan): Promise<void> {
  await mkdir(root, { recursive: true });
  const dirs: Array<string | Buffer> = [];
  for (const e of plan.entries) {
    const target = osPath(join(root, e.path));
    if (e.kind === 'dir') {
      await mkdir(target, { recursive: true });
      dirs.push(target);
    } else if (e.kind === 'file') {
      await writeFile(target, e.content, { flag: 'wx' });
      await chmod(target, e.executable ? 0o555 : 0o444);
    } else {
      await symlink(osPath(e.target), target);
    }
  }
  // Deepest first, so that a directory is still writable while its children are set.
  for (const d of dirs.sort((a, b) => b.length - a.length)) await chmod(d, 0o555);
}
