/**
 * What the image builder needs, all of it already realised: no Nix values,
 * only strings and store paths. Also the checks that keep a build inside its
 * image root and away from a shell. nixpkgs pastes unit names, symlink paths,
 * the compression string and the block size into a bash script; tsportable
 * runs no shell, so it accepts only what that script would have treated as
 * plain words and paths, and refuses anything that could land outside the
 * root. Builder plugins call `validateImageInput` to report problems at the
 * spans of their arguments; `buildImage` calls it again and refuses to start.
 */

/** An absolute path inside the Nix store, e.g. `/nix/store/<hash>-name`. */
export type StorePath = string;

export const storeDir = '/nix/store';

export interface ImageUnit {
  /** File name under `etc/systemd/system`. */
  readonly name: string;
  /** The realised unit file (a store path, or a file inside one). */
  readonly file: string;
}

export interface ImageSymlink {
  /** The symlink's path in the image as nixpkgs takes it: `/etc/ssl/certs/ca-bundle.crt`, or relative to the root (`bin/sh`); see placeSymlink. */
  readonly symlink: string;
  /** The link's target: normally a store path string (possibly with a suffix inside the path), which brings its closure. */
  readonly object: string;
}

export interface ImageInput {
  readonly pname: string;
  readonly version: string;
  /** The generated `etc/os-release` text (see osRelease.ts). */
  readonly osRelease: string;
  /**
   * The store paths the os-release text's context names (a description `"${pkgs.hello} as a service"`):
   * nixpkgs' os-release file refers to them, so the scaffold may too, when its bytes name them.
   */
  readonly osReleaseContext?: readonly StorePath[];
  /** In nixpkgs' order: a later unit with the same name replaces an earlier one, as `cp` does. */
  readonly units: readonly ImageUnit[];
  readonly symlinks: readonly ImageSymlink[];
  /** Extra store paths put into the image with their closure. */
  readonly contents: readonly StorePath[];
  /** nixpkgs' `squash-compression`, e.g. `xz -Xdict-size 100%`. */
  readonly compression: string;
  /** nixpkgs' `squash-block-size`, e.g. `1M`. */
  readonly blockSize: string;
  /** The mksquashfs program to run. */
  readonly mksquashfs: string;
}

/** Where a problem is, so that a builder can point at the argument's span. */
export type ImageField = 'pname' | 'version' | 'osRelease' | 'units' | 'symlinks' | 'contents' | 'compression' | 'blockSize' | 'mksquashfs';

export interface ImageProblem {
  readonly field: ImageField;
  /** Index into `units`, `symlinks` or `contents` when the problem concerns one element. */
  readonly index?: number;
  readonly message: string;
}

/** Entries of the root scaffold that nixpkgs always makes; a symlink may not replace them. */
export const scaffoldDirs = ['etc', 'etc/systemd', 'etc/systemd/system', 'proc', 'sys', 'dev', 'run', 'tmp', 'var', 'var/tmp', 'var/lib', 'var/cache', 'var/log'] as const;
export const scaffoldFiles = ['etc/os-release', 'etc/resolv.conf', 'etc/machine-id'] as const;

/**
 * Characters bash treats as plain word characters in nixpkgs' `-comp ${...}`
 * line. Anything else (quotes, `$`, `;`, globs, ...) would be interpreted by
 * that shell, so such a string has no meaning tsportable could reproduce.
 */
const plainWord = /^[A-Za-z0-9%+,._=:@/-]+$/;

/** Splits nixpkgs' compression string into mksquashfs arguments, as bash splits plain words. */
export function compressionWords(compression: string): string[] {
  return compression.split(/[ \t\n]+/).filter((w) => w !== '');
}

/** True for a string naming something inside the Nix store. */
export function inStore(s: string): boolean {
  return s.startsWith(storeDir + '/') && s.length > storeDir.length + 1;
}

export function checkUnitName(name: string): string | undefined {
  if (name === '') return 'a unit name must not be empty';
  if (name.includes('/')) return `unit name '${name}' must not contain '/': units are installed as etc/systemd/system/<name>`;
  if (name === '.' || name === '..') return `unit name '${name}' would not be a file in etc/systemd/system`;
  if (name.includes('\0')) return 'a unit name must not contain a NUL byte';
  return undefined;
}

/**
 * Characters bash gives a meaning to in nixpkgs' unquoted `$out/${symlink}`
 * (word splitting, expansions, globs, redirections): a path holding one is not
 * a path nixpkgs' script could have made.
 */
const shellSpecial = /[\s$`"'\\;&|<>()*?[\]{}]/;

/** A symlink of the scaffold where nixpkgs' script puts it: the directories `mkdir -p` makes for it, then the link. */
export interface PlacedSymlink {
  /** Directories created for it, relative to the image root, parents first. */
  readonly dirs: readonly string[];
  /** The link, relative to the image root. */
  readonly path: string;
  readonly target: string;
}

/** What is already at a path of the scaffold. */
export type ScaffoldKind = 'dir' | 'file' | 'link';

/** GNU ln's name for a link made inside a directory: the target's last component. */
function linkName(object: string): string | undefined {
  const trimmed = object.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return name === '' || name === '.' || name === '..' ? undefined : name;
}

/**
 * Where nixpkgs' `mkdir -p $(dirname $out/${symlink}); ln -s ${object} $out/${symlink}`
 * puts one symlink, on the scaffold as it is so far (`taken`, updated), or why
 * it cannot. Like the script: relative paths are relative to the root, `.`
 * and repeated slashes do nothing, `..` goes up (the directories walked
 * through are made), and a path that is an existing directory gets the link
 * inside it, named after the target. Refused: what would leave the image
 * root, land in /nix (where the store is), or make the script fail.
 */
export function placeSymlink(symlink: string, object: string, taken: Map<string, ScaffoldKind>): PlacedSymlink | string {
  if (symlink.includes('\0')) return 'a symlink path must not contain a NUL byte';
  if (shellSpecial.test(symlink)) return `symlink path '${symlink}' holds characters nixpkgs' build script would hand to a shell (blanks, quotes, $, globs...); use a plain path`;
  const escape = `symlink path '${symlink}' goes above the image root with '..': it would be outside the image`;
  const stripped = symlink.replace(/\/+$/, '');
  const components = stripped === '' ? [] : stripped.split('/');
  const last = components.pop();
  const at: string[] = [];
  const dirs: string[] = [];
  // mkdir -p of the dirname.
  for (const c of components) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (at.length === 0) return escape;
      at.pop();
      continue;
    }
    at.push(c);
    const rel = at.join('/');
    const kind = taken.get(rel);
    if (kind === 'file') return `symlink path '${symlink}' lies under '/${rel}', which is not a directory`;
    if (kind === 'link') return `symlink path '${symlink}' lies under '/${rel}', which is itself one of the symlinks: nixpkgs' script would write into what it points to`;
    if (kind === undefined) {
      taken.set(rel, 'dir');
      dirs.push(rel);
    }
  }
  // ln -s of the whole path.
  if (last === '..') {
    if (at.length === 0) return escape;
    at.pop();
  } else if (last !== undefined && last !== '.' && last !== '') {
    at.push(last);
  }
  let rel = at.join('/');
  const kind = rel === '' ? 'dir' : taken.get(rel);
  if (kind === 'file' || kind === 'link') return `symlink path '${symlink}' is already taken by another entry of the image root`;
  if (kind === 'dir') {
    // `ln -s obj dir` makes dir/<name of obj>.
    const name = linkName(object);
    if (name === undefined) return `symlink path '${symlink}' is a directory, and the object '${object}' has no name to give the link inside it`;
    rel = rel === '' ? name : `${rel}/${name}`;
    if (taken.has(rel)) return `symlink path '${symlink}' is a directory already holding '${name}', the link nixpkgs' script would make there`;
  } else if (stripped !== symlink) {
    return `symlink path '${symlink}' ends in '/' but no directory is there: nixpkgs' script would fail making the link`;
  }
  if (rel === 'nix' || rel.startsWith('nix/') || dirs.some((d) => d === 'nix')) return `symlink path '${symlink}' is inside /nix, where the image holds the store`;
  taken.set(rel, 'link');
  return { dirs, path: rel, target: object };
}

/** What the scaffold holds before its symlinks: nixpkgs' directories and files, and the units. */
export function scaffoldBase(unitNames: Iterable<string>): Map<string, ScaffoldKind> {
  const taken = new Map<string, ScaffoldKind>();
  for (const d of scaffoldDirs) taken.set(d, 'dir');
  for (const f of scaffoldFiles) taken.set(f, 'file');
  for (const u of unitNames) taken.set(`etc/systemd/system/${u}`, 'file');
  return taken;
}

/** Every symlink of an input placed in order, or why one cannot be. */
export function placeSymlinks(input: Pick<ImageInput, 'units' | 'symlinks'>): Array<PlacedSymlink | string> {
  const taken = scaffoldBase(input.units.map((u) => u.name));
  return input.symlinks.map((l) => placeSymlink(l.symlink, l.object, taken));
}

function checkStoreString(s: string, what: string): string | undefined {
  if (!inStore(s)) return `${what} '${s}' is not in ${storeDir}`;
  if (s.includes('\0')) return `${what} must not contain a NUL byte`;
  return undefined;
}

/** Block sizes mksquashfs accepts: a power of two from 4K to 1M, with an optional K or M suffix. */
function checkBlockSize(blockSize: string): string | undefined {
  const m = /^([0-9]+)([KkMm]?)$/.exec(blockSize);
  if (!m) return `block size '${blockSize}' must be a number of bytes, optionally followed by K or M (e.g. 1M, 128K)`;
  const scale = m[2] === '' ? 1 : m[2].toLowerCase() === 'k' ? 1024 : 1024 * 1024;
  const bytes = Number(m[1]) * scale;
  if (bytes < 4096 || bytes > 1024 * 1024 || (bytes & (bytes - 1)) !== 0) {
    return `block size '${blockSize}' must be a power of two between 4K and 1M`;
  }
  return undefined;
}

/** Every problem of an input; an empty list means `buildImage` may proceed. */
export function validateImageInput(input: ImageInput): ImageProblem[] {
  const problems: ImageProblem[] = [];
  const add = (field: ImageField, message: string | undefined, index?: number) => {
    if (message !== undefined) problems.push(index === undefined ? { field, message } : { field, index, message });
  };
  // nixpkgs makes a derivation named `<pname>-img-<version>`, so both must be store-name characters;
  // that also keeps `<pname>_<version>.raw` a plain file name.
  for (const [field, value] of [['pname', input.pname], ['version', input.version]] as const) {
    if (!/^[A-Za-z0-9+\-._?=]*$/.test(value)) {
      add(field, `${field} '${value}' holds characters a Nix store name cannot (allowed: letters, digits and + - . _ ? =)`);
    }
  }
  if (input.pname === '') add('pname', 'pname must not be empty');

  input.units.forEach((unit, i) => {
    add('units', checkUnitName(unit.name), i);
    add('units', checkStoreString(unit.file, `unit '${unit.name}'`), i);
  });

  // A symlink must land where nixpkgs' `mkdir -p` and `ln -s` would put it, inside the root.
  const placed = placeSymlinks(input);
  input.symlinks.forEach((link, i) => {
    // A link's target is only its text: nixpkgs accepts any, and a target outside the store just dangles.
    if (link.object === '' || link.object.includes('\0')) add('symlinks', 'symlink object must be a non-empty string without NUL bytes', i);
    const p = placed[i]!;
    if (typeof p === 'string') add('symlinks', p, i);
  });

  input.contents.forEach((p, i) => add('contents', checkStoreString(p, 'contents element'), i));

  const words = compressionWords(input.compression);
  if (words.length === 0) add('compression', 'the compression must name a compressor, e.g. "xz -Xdict-size 100%"');
  for (const w of words) {
    if (!plainWord.test(w)) add('compression', `compression word '${w}' holds characters nixpkgs would hand to a shell; use plain words`);
  }
  add('blockSize', checkBlockSize(input.blockSize));
  if (input.mksquashfs === '') add('mksquashfs', 'the mksquashfs program must be given');
  return problems;
}
