/**
 * Filesystem builtins: readFile, readDir, readFileType, pathExists,
 * toPath (findFile is in core.ts, beside the search path). They read the real filesystem at evaluation time, as Nix
 * does outside pure mode.
 *
 * A path given as a string with a store context (`"${drv}/bin/x"`) refers to
 * something that must be built first; only the bridge can do that, through
 * the optional `realisePath` hook, otherwise the builtin says it needs Nix.
 * readFile of a store file gives the store path's references as context, as
 * Nix does (the `storeReferences` hook asks the store). Contents, names and
 * paths are bytes (value/bytes.ts), whether or not they are UTF-8.
 */
import { type Dirent, type Stats, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { NixError } from '../errors.js';
import { fileError, missingPath } from '../fileErrors.js';
import type { Span } from '../span.js';
import { NixAttrs, NixString, type Lazy } from '../value/index.js';
import { force } from '../value/force.js';
import { coerceToPath } from '../value/string.js';
import { hooks } from '../value/hooks.js';
import { defineBuiltin } from './registry.js';
import { decodeBytes, osPath } from '../value/bytes.js';
import { checkAccess, ForbiddenPathError } from '../access.js';

/** The real filesystem path a path argument names (building it first through the bridge if needed), if evaluation may read it. */
export function realisePath(v: Lazy, span: Span | undefined, ctx?: string): string {
  const { path, context } = coerceToPath(v, span, ctx);
  const real = context.size === 0 ? path : hooks.realisePath(path, context, span);
  checkAccess(real, span);
  return real;
}

/** Reads a file's bytes with Nix's messages. */
export function readFileBytes(path: string, span: Span | undefined): Buffer {
  try {
    return readFileSync(osPath(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new NixError('eval', `file '${path}' is not a regular file`, span);
    throw fileError(e, path, 'opening file', span);
  }
}

defineBuiltin({
  name: 'readFile',
  arity: 1,
  doc: 'The contents of a file, as a string.',
  fn: ([p], span) => {
    const path = realisePath(p, span, 'while evaluating the first argument passed to builtins.readFile');
    const bytes = readFileBytes(path, span);
    if (bytes.includes(0)) {
      throw new NixError('eval', `the contents of the file '${path}' cannot be represented as a Nix string`, span);
    }
    const text = decodeBytes(bytes);
    // Nix gives a file read from the store the references of its store path as context (import from
    // derivation: a unit text read from a build output still needs the packages it names).
    const storePath = /^\/nix\/store\/[^/]+/.exec(path)?.[0];
    const refs = storePath ? hooks.storeReferences(storePath, span) : [];
    return refs.length ? new NixString(text, new Set(refs)) : text;
  },
});

function fileType(st: Stats): string {
  if (st.isFile()) return 'regular';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'unknown';
}

defineBuiltin({
  name: 'readDir',
  arity: 1,
  doc: 'The entries of a directory: a set of name = "regular" | "directory" | "symlink" | "unknown".',
  fn: ([p], span) => {
    let path = realisePath(p, span, 'while evaluating the first argument passed to builtins.readDir');
    try {
      // Nix resolves every symlink of the path first; its messages name the target.
      path = decodeBytes(realpathSync(osPath(path), { encoding: 'buffer' }));
    } catch {
      // A missing path is reported below, under the name given.
    }
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(osPath(path), { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw missingPath(path, span);
      if (code === 'ENOTDIR') throw new NixError('eval', `'${path}' is not a directory`, span);
      throw new NixError('eval', `cannot read directory '${path}': ${(e as Error).message}`, span);
    }
    const map = new Map<string, Lazy>();
    for (const d of entries) {
      map.set(decodeBytes(d.name), d.isFile() ? 'regular' : d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symlink' : 'unknown');
    }
    return new NixAttrs(map);
  },
});

defineBuiltin({
  name: 'readFileType',
  arity: 1,
  doc: 'The type of a file: "regular", "directory", "symlink" or "unknown".',
  fn: ([p], span) => {
    const path = realisePath(p, span, 'while evaluating the first argument passed to builtins.readFileType');
    try {
      return fileType(lstatSync(osPath(path)));
    } catch {
      throw missingPath(path, span);
    }
  },
});

defineBuiltin({
  name: 'pathExists',
  arity: 1,
  doc: 'Whether a path exists (a string ending in "/" must name a directory).',
  fn: ([p], span) => {
    const x = force(p);
    const text = typeof x === 'string' ? x : x !== null && typeof x === 'object' && 's' in x ? (x as { s: string }).s : '';
    const mustBeDir = text.endsWith('/') || text.endsWith('/.');
    let path: string;
    try {
      path = realisePath(x, span, 'while realising the context of a path');
    } catch (e) {
      // A path pure or restricted evaluation may not read does not exist for it, as in Nix.
      if (e instanceof ForbiddenPathError) return false;
      throw e;
    }
    try {
      // Symlinks are followed on the way but not at the end: a dangling link exists.
      return mustBeDir ? statSync(osPath(path)).isDirectory() : (lstatSync(osPath(path)), true);
    } catch {
      return false;
    }
  },
});

defineBuiltin({
  name: 'toPath',
  arity: 1,
  doc: 'Deprecated: an absolute path string, canonicalised (returns a string, not a path).',
  fn: ([p], span) => {
    const { path } = coerceToPath(p, span, 'while evaluating the first argument passed to builtins.toPath');
    return posix.normalize(path).replace(/(.)\/$/, '$1');
  },
});
