/**
 * The file tree of an image, as read from its listing, and path resolution
 * inside it. Symlinks in an image are resolved against the image's own root,
 * never the host's: `/nix/store/x/bin/foo -> ../libexec/foo` and
 * `/bin/sh -> /nix/store/y-bash/bin/bash` both stay inside the image. The
 * resolver walks one component at a time like the kernel does, so `..` after
 * a symlink means the parent of the link's target, and it gives up after 40
 * links (Linux's limit) to report a loop instead of spinning.
 */

export type EntryKind = 'directory' | 'file' | 'symlink' | 'char-device' | 'block-device' | 'fifo' | 'socket';

export interface ImageEntry {
  /** Absolute inside the image: `/`, `/etc/os-release`. */
  readonly path: string;
  readonly kind: EntryKind;
  /** Permission bits including setuid/setgid/sticky (no file-type bits). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  /** Bytes, for files. */
  readonly size?: number;
  /** Offset of the file's data in unsquashfs' pseudo-file data section. */
  readonly dataOffset?: number;
  /** Target as stored, for symlinks. */
  readonly target?: string;
  /** For a hard link: the path it was listed as a link to. */
  readonly hardLinkOf?: string;
}

export type ImageTree = ReadonlyMap<string, ImageEntry>;

/** Linux gives up after 40 symlinks in one lookup (ELOOP); so do we. */
const maxSymlinkHops = 40;

export type Resolution =
  | { readonly ok: true; readonly entry: ImageEntry; readonly via: readonly string[] }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'loop' | 'not-a-directory';
      /** The path that does not exist or is not a directory. */
      readonly at: string;
      /** Each symlink followed, as `link -> target`. */
      readonly via: readonly string[];
    };

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function childOf(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Resolves `path` (absolute inside the image), following every symlink including the last. */
export function resolveInImage(tree: ImageTree, path: string): Resolution {
  const via: string[] = [];
  const todo = path.split('/');
  let current = '/';
  let hops = 0;
  while (todo.length > 0) {
    const name = todo.shift()!;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      current = parentOf(current);
      continue;
    }
    const next = childOf(current, name);
    const entry = tree.get(next);
    if (!entry) return { ok: false, reason: 'missing', at: next, via };
    if (entry.kind === 'symlink') {
      if (++hops > maxSymlinkHops) return { ok: false, reason: 'loop', at: next, via };
      const target = entry.target ?? '';
      via.push(`${next} -> ${target}`);
      if (target.startsWith('/')) current = '/';
      todo.unshift(...target.split('/'));
      continue;
    }
    if (entry.kind !== 'directory' && todo.some((c) => c !== '' && c !== '.')) {
      return { ok: false, reason: 'not-a-directory', at: next, via };
    }
    current = next;
  }
  const entry = tree.get(current);
  if (!entry) return { ok: false, reason: 'missing', at: current, via };
  return { ok: true, entry, via };
}

/** Whether anyone may execute the entry (systemd runs services as root by default, which needs one x bit). */
export function isExecutable(entry: ImageEntry): boolean {
  return entry.kind === 'file' && (entry.mode & 0o111) !== 0;
}

/** Orders by path, byte-wise like `ls` under LC_ALL=C (never by locale, so output is the same everywhere). */
export function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
