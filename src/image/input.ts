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
  /** Absolute path of the symlink inside the image, e.g. `/etc/ssl/certs/ca-bundle.crt`. */
  readonly symlink: string;
  /** The link's target: normally a store path string (possibly with a suffix inside the path), which brings its closure. */
  readonly object: string;
}

export interface ImageInput {
  readonly pname: string;
  readonly version: string;
  /** The generated `etc/os-release` text (see osRelease.ts). */
  readonly osRelease: string;
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

/** The components of a symlink path inside the image, or a message saying why it is not acceptable. */
export function symlinkComponents(symlink: string): string[] | string {
  if (!symlink.startsWith('/')) return `symlink path '${symlink}' must be absolute (it is a path inside the image)`;
  if (symlink.includes('\0')) return 'a symlink path must not contain a NUL byte';
  const parts = symlink.slice(1).split('/');
  if (parts.length === 1 && parts[0] === '') return "symlink path '/' would replace the image root";
  for (const part of parts) {
    if (part === '..') return `symlink path '${symlink}' must not contain '..': it would point outside the image root`;
    if (part === '' || part === '.') return `symlink path '${symlink}' must be a plain path (no empty or '.' components)`;
  }
  if (parts[0] === 'nix') return `symlink path '${symlink}' is inside /nix, where the image holds the store`;
  return parts;
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

  const unitNames = new Set<string>();
  input.units.forEach((unit, i) => {
    add('units', checkUnitName(unit.name), i);
    add('units', checkStoreString(unit.file, `unit '${unit.name}'`), i);
    unitNames.add(`etc/systemd/system/${unit.name}`);
  });

  // A symlink must not land on another scaffold entry: nixpkgs' `ln -s` would
  // then fail, or put the link inside an existing directory.
  const taken = new Map<string, 'dir' | 'file'>();
  for (const d of scaffoldDirs) taken.set(d, 'dir');
  for (const f of [...scaffoldFiles, ...unitNames]) taken.set(f, 'file');
  input.symlinks.forEach((link, i) => {
    // A link's target is only its text: nixpkgs accepts any, and a target outside the store just dangles.
    if (link.object === '' || link.object.includes('\0')) add('symlinks', 'symlink object must be a non-empty string without NUL bytes', i);
    const parts = symlinkComponents(link.symlink);
    if (typeof parts === 'string') return add('symlinks', parts, i);
    const rel = parts.join('/');
    if (taken.has(rel)) return add('symlinks', `symlink path '${link.symlink}' is already taken by another entry of the image root`, i);
    for (let n = 1; n < parts.length; n++) {
      const parent = parts.slice(0, n).join('/');
      if (taken.get(parent) === 'file') return add('symlinks', `symlink path '${link.symlink}' lies under '/${parent}', which is not a directory`, i);
    }
    for (let n = 1; n < parts.length; n++) taken.set(parts.slice(0, n).join('/'), 'dir');
    taken.set(rel, 'file');
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
