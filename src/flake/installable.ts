/**
 * Installables as `nix build` reads them, for the flakes tsportable can read
 * locally: `.`, `.#attr`, `DIR#attr`, `/abs/dir#attr`, `path:DIR#attr`,
 * `git+file:///repo?dir=sub#attr`, and (so that nix-build habits work) a
 * directory holding flake.nix, or flake.nix itself.
 *
 * What the reference means follows Nix (parsePathFlakeRefWithFragment): a
 * plain path is searched upward for flake.nix (stopping at a Git repository's
 * top), and a flake inside a Git repository is that repository's tracked
 * files, with the flake in a subdirectory (`dir=`); `path:` takes the
 * directory as it is. A word that is neither (`nixpkgs#hello`) is a registry
 * reference, and a URL (`github:...`) must be fetched: both are left to Nix.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { NixError } from '../eval/errors.js';
import { gitTopLevel } from './tree.js';

export interface FlakeInstallable {
  /** 'path': every file of `root`; 'git': the tracked files of the repository at `root`. */
  readonly kind: 'path' | 'git';
  /** The source's top directory (the flake's directory, or the Git repository's top level). */
  readonly root: string;
  /** The flake's directory inside `root` ('' when it is `root`). */
  readonly flakeDir: string;
  /** After `#` ('' when there is none). */
  readonly fragment: string;
  /** How Nix names the flake: `path:/x`, `git+file:///repo?dir=sub`. */
  readonly name: string;
}

const FLAKE_ID = /^[a-zA-Z][a-zA-Z0-9_-]*(\/[a-zA-Z0-9@._+/-]*)?$/;
const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function queryParams(q: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (q ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    out.set(decodeURIComponent(eq < 0 ? part : part.slice(0, eq)), decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return out;
}

function make(kind: 'path' | 'git', root: string, flakeDir: string, fragment: string): FlakeInstallable {
  const dir = flakeDir === '' ? '' : `?dir=${flakeDir}`;
  const name = kind === 'path' ? `path:${root}${dir}` : `git+file://${root}${dir}`;
  return { kind, root, flakeDir, fragment, name };
}

/**
 * Whether a FILE argument names a flake rather than a Nix file: it has a
 * fragment, a `path:`/`git+file:` scheme, or names a directory holding
 * flake.nix or flake.nix itself.
 */
export function isFlakeArgument(arg: string, cwd: string): boolean {
  if (arg.includes('#') || arg.startsWith('path:') || arg.startsWith('git+file:')) return true;
  const p = resolve(cwd, arg);
  return (isDir(p) && existsSync(join(p, 'flake.nix'))) || (basename(p) === 'flake.nix' && existsSync(p));
}

/** Parses an installable; `notice` gets Nix's warnings (flake.nix named instead of its directory). */
export function parseInstallable(arg: string, cwd: string, notice: (message: string) => void): FlakeInstallable {
  const hash = arg.indexOf('#');
  const refText = hash < 0 ? arg : arg.slice(0, hash);
  const fragment = hash < 0 ? '' : decodeURIComponent(arg.slice(hash + 1));
  const q = refText.indexOf('?');
  const location = q < 0 ? refText : refText.slice(0, q);
  const params = queryParams(q < 0 ? undefined : refText.slice(q + 1));
  const dirParam = params.get('dir') ?? '';
  for (const k of params.keys()) {
    if (k !== 'dir') throw new NixError('usage', `unsupported parameter '${k}' in the flake reference '${refText}'`);
  }

  if (location.startsWith('path:') || location.startsWith('git+file:')) {
    const git = location.startsWith('git+file:');
    const p = location.slice(git ? 'git+file:'.length : 'path:'.length).replace(/^\/\/(?=\/)/, '');
    const root = resolve(cwd, p);
    if (!isDir(root)) throw new NixError('usage', `path '${root}' does not exist or is not a directory (in '${arg}')`);
    const flake = join(root, dirParam, 'flake.nix');
    if (!existsSync(flake)) throw new NixError('usage', `path '${join(root, dirParam)}' is not a flake (because it doesn't contain a 'flake.nix' file)`);
    return make(git ? 'git' : 'path', root, dirParam, fragment);
  }
  if (URL_SCHEME.test(location) || (location !== '' && FLAKE_ID.test(location) && !existsSync(resolve(cwd, location)))) {
    throw new NixError('usage', `'${refText}' is a flake reference that must be fetched; tsportable builds local flakes only (a directory: '.#attr', './dir#attr', 'path:DIR#attr'). Clone it, or lock it with 'nix flake lock' in a local flake that has it as an input`);
  }

  let path = resolve(cwd, location === '' ? '.' : location);
  if (!isDir(path)) {
    if (basename(path) === 'flake.nix' && existsSync(path)) {
      notice(`warning: Path '${path}' should point at the directory containing the 'flake.nix' file, not the file itself. Pretending that you meant '${dirname(path)}'`);
      path = dirname(path);
    } else if (!existsSync(path)) {
      throw new NixError('usage', `path '${path}' does not exist`);
    } else {
      throw new NixError('usage', `path '${path}' is not a flake (because it's not a directory)`);
    }
  }
  path = join(path, dirParam);
  if (!existsSync(join(path, 'flake.nix'))) {
    let d = path;
    for (;;) {
      if (existsSync(join(d, 'flake.nix'))) break;
      if (existsSync(join(d, '.git')) || dirname(d) === d) {
        throw new NixError('usage', `path '${path}' is not part of a flake (neither it nor its parent directories contain a 'flake.nix' file)`);
      }
      d = dirname(d);
    }
    notice(`path '${path}' does not contain a 'flake.nix', searching up`);
    path = d;
  }
  const top = gitTopLevel(path);
  if (top !== undefined) return make('git', top, relative(top, path), fragment);
  return make('path', path, '', fragment);
}
