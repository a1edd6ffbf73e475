/**
 * `pkgs.path` and `import pkgs.path { ... }`: a package set's root directory,
 * and importing it gives a package set again (with its builder plugins and
 * native lib), as `import <nixpkgs> { ... }` does.
 *
 * What is hard: `pkgs.path` is what the set says it is, not always the
 * directory on the search path. nixpkgs' and tsportable's stand-in's are their
 * own directory, known without Nix; a wrapper set (the test set imports the
 * stand-in with an overlay) may name another directory, which only Nix can
 * tell: it is asked once, and that directory is recognised by `import` from
 * then on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../eval/span.js';
import { type Lazy, type Value, NixPath, PrimOp } from '../eval/value/index.js';
import { force } from '../eval/value/force.js';
import { nixDir } from '../paths.js';
import type { ForeignHandle } from './foreign.js';

export class PackageSetRoots {
  private readonly learned = new Map<string, PrimOp>();
  private readonly selfRooted: boolean;

  constructor(
    private readonly nixpkgsDir: string,
    /** `import <dir> args` as a package set of the set at `dir`. */
    private readonly makeSet: (dir: string, args: Lazy, span: Span | undefined) => Value,
  ) {
    this.selfRooted = nixpkgsDir === join(nixDir, 'pkgs') || existsSync(join(nixpkgsDir, 'pkgs', 'top-level', 'all-packages.nix'));
  }

  /** The value of `pkgs.path` (`pkgsPath` is the foreign `pkgs.path`, asked of Nix only for a wrapper set). */
  rootPath(pkgsPath: ForeignHandle, span: Span | undefined): Value {
    if (this.selfRooted) return new NixPath(this.nixpkgsDir);
    const v = force(pkgsPath.materialize(span));
    if (v instanceof NixPath && v.path !== this.nixpkgsDir && !this.learned.has(v.path) && isPackageSetDir(v.path)) {
      const dir = v.path;
      this.learned.set(dir, new PrimOp(`import ${dir}`, 1, ([args], s) => this.makeSet(dir, args, s),
        'a package set evaluated by real Nix'));
    }
    return v;
  }

  /** Another package set's root, known to be one (a flake's second nixpkgs input): `import dir args` is its package set. */
  addRoot(dir: string): void {
    if (dir === this.nixpkgsDir || this.learned.has(dir)) return;
    this.learned.set(dir, new PrimOp(`import ${dir}`, 1, ([args], s) => this.makeSet(dir, args, s), 'a package set evaluated by real Nix'));
  }

  /** `import <dir>` of a root learned from `pkgs.path` (dir without `/default.nix`), if it is one. */
  importOf(dir: string): PrimOp | undefined {
    return this.learned.get(dir);
  }
}

function isPackageSetDir(dir: string): boolean {
  return existsSync(join(dir, 'default.nix'));
}
