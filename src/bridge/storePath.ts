/**
 * Store paths computed natively, exactly as Nix computes them, so that adding a
 * local file to the store ("${./file}") or `builtins.toFile` needs no Nix
 * process during evaluation: the path is known at once, and the actual copy
 * happens inside the one batch that realises a build (the bridge writes the
 * source path back, and Nix copies it to this very path).
 *
 * What is hard: the store path is a hash over a fingerprint string whose exact
 * form matters ("source:sha256:<hex>:/nix/store:<name>", "text:<refs>:..."),
 * the hash of a directory is the SHA-256 of its NAR serialisation (entries in
 * byte order, the executable bit, symlink targets, 8-byte padding), and the
 * result is printed in Nix's own base-32 alphabet, least significant bits first.
 */
import { createHash, type Hash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { makeStorePath } from '../eval/builtins/derivationPaths.js';
import { decodeBytes, displayText, encodeBytes } from '../eval/value/bytes.js';

const slash = Buffer.from('/');

export const storeDir = '/nix/store';

/** Characters Nix allows in a store path name (and the rules on its first character). */
export function isValidStoreName(name: string): boolean {
  return name.length > 0 && name.length <= 211 && !name.startsWith('.') && /^[a-zA-Z0-9+\-._?=]+$/.test(name);
}

/** What a NAR of a directory takes in, and what the walk reports (flake sources: a Git tree's tracked files, lastModified). */
export interface NarOptions {
  /** Whether an entry is part of the tree, by its path relative to the root (`a/b`); a directory left out leaves out all below it. */
  readonly include?: (relPath: string, isDirectory: boolean) => boolean;
  /** Each entry's `lstat`, the root's included (Nix's `lastModified` of a path is the newest mtime of its tree). */
  readonly onStat?: (st: Stats) => void;
}

/** The SHA-256 of the NAR serialisation of `path` (what Nix calls its NAR hash), as hex. */
export function narHashHex(path: string, options: NarOptions = {}): string {
  const h = createHash('sha256');
  narString(h, 'nix-archive-1');
  narNode(encodeBytes(path), '', h, options);
  return h.digest('hex');
}

/** The store path of a source whose NAR hash (hex) is known: `nix-store --add`, `builtins.path`, fetchTree's `source`. */
export function sourcePathOfNarHash(narHashHex: string, name: string): string {
  return makeStorePath('source', narHashHex, name);
}

/** The store path `nix-store --add` / "${./path}" gives `path` under `name` (NAR, SHA-256, no references). */
export function sourceStorePath(path: string, name: string, options: NarOptions = {}): string {
  return sourcePathOfNarHash(narHashHex(path, options), name);
}

/** The store path `builtins.toFile name contents` gives, `references` being plain store paths. */
export function textStorePath(name: string, contents: string, references: Iterable<string>): string {
  const refs = [...new Set(references)].sort();
  const type = ['text', ...refs].join(':');
  return makeStorePath(type, createHash('sha256').update(encodeBytes(contents)).digest('hex'), name);
}

function narString(h: Hash, s: string | Buffer): void {
  const b = typeof s === 'string' ? encodeBytes(s) : s;
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(b.length));
  h.update(len);
  h.update(b);
  const pad = (8 - (b.length % 8)) % 8;
  if (pad) h.update(Buffer.alloc(pad));
}

/** `path` as bytes: entries' names need not be UTF-8 (`rel` is the relative path as a Nix string). */
function narNode(path: Buffer, rel: string, h: Hash, options: NarOptions): void {
  const st = lstatSync(path);
  options.onStat?.(st);
  narString(h, '(');
  narString(h, 'type');
  if (st.isSymbolicLink()) {
    narString(h, 'symlink');
    narString(h, 'target');
    narString(h, readlinkSync(path, { encoding: 'buffer' }));
  } else if (st.isDirectory()) {
    narString(h, 'directory');
    // NAR orders entries by the bytes of their names.
    const names = readdirSync(path, { encoding: 'buffer' }).sort(Buffer.compare);
    for (const name of names) {
      const childPath = Buffer.concat([path, slash, name]);
      const childRel = rel === '' ? decodeBytes(name) : `${rel}/${decodeBytes(name)}`;
      if (options.include && !options.include(childRel, lstatSync(childPath).isDirectory())) continue;
      narString(h, 'entry');
      narString(h, '(');
      narString(h, 'name');
      narString(h, name);
      narString(h, 'node');
      narNode(childPath, childRel, h, options);
      narString(h, ')');
    }
  } else if (st.isFile()) {
    narString(h, 'regular');
    if (st.mode & 0o100) {
      narString(h, 'executable');
      narString(h, '');
    }
    narString(h, 'contents');
    narString(h, readFileSync(path));
  } else {
    throw new Error(`unsupported file type: ${displayText(decodeBytes(path))}`);
  }
  narString(h, ')');
}
