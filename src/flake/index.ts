/**
 * Flakes, as `nix build FLAKE#attr` evaluates them, without Nix where Nix is
 * not needed: the installable (installable.ts), the flake's own source tree
 * (tree.ts), its lock (lockFile.ts, lock.ts), where each input's files are
 * (sources.ts: at most one Nix process, none when everything is in the store),
 * the flake's value (callFlake.ts) and the output the fragment names
 * (outputs.ts). The CLI's session wires these to the evaluator and the bridge.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { NixError } from '../eval/errors.js';
import type { Evaluator } from '../eval/index.js';
import type { NixAttrs, Value } from '../eval/value/index.js';
import type { NixRunner } from '../bridge/runner.js';
import { readFlakeFile } from './flakeFile.js';
import { parseInstallable, type FlakeInstallable } from './installable.js';
import { readLockFile } from './lockFile.js';
import { findInput, lockFlake, type LockGraph, type LockedInput } from './lock.js';
import { parseInputPath, parseInputUrl, type AttrValue, type InputAttrs } from './ref.js';
import { readTree, treeHas, type TreeReader } from './tree.js';
import { resolveSources, type ResolvedSource } from './sources.js';
import { callFlake, isPackageSetDir } from './callFlake.js';

export { isFlakeArgument, parseInstallable, type FlakeInstallable } from './installable.js';
export { installableAttrPaths, packageOutputs, selectOutput, type PackageOutput } from './outputs.js';
export { FlakeInputError } from './lock.js';
export { readTree, type LocalTree, type TreeReader } from './tree.js';
export { nixEvalOutput } from './evalOutput.js';

export interface FlakeOptions {
  /** `--override-input NAME REF`, as given. */
  readonly overrideInputs: readonly (readonly [string, string])[];
  readonly cwd: string;
  /** Runs the one Nix process that copies and fetches what is not in the store. */
  readonly runner: NixRunner;
  /** tsportable's own package set (named in the message about a missing nixpkgs). */
  readonly standInDir: string;
  /** Where Nix-style warnings go. */
  readonly notice: (message: string) => void;
  /** How local trees are read (default: from disk, every time; the language server keeps them while no file is saved). */
  readonly readTree?: TreeReader;
}

/** A flake whose inputs are locked and in the store, ready to evaluate. */
export interface LockedFlake {
  readonly installable: FlakeInstallable;
  readonly graph: LockGraph;
  readonly sources: ReadonlyMap<LockedInput | 'root', ResolvedSource>;
  /** The package set the top-level `nixpkgs` input is, when it is one (the bridge serves it). */
  readonly nixpkgsDir?: string;
}

/** `--override-input`'s reference: a URL, a `path:` (relative to the flake), or a directory (relative to cwd). */
function overrideRef(text: string, flakeDirOnDisk: string, cwd: string, notice: (m: string) => void): InputAttrs {
  if (text.startsWith('path:')) {
    const attrs = parseInputUrl(text);
    const p = attrs.get('path');
    if (typeof p === 'string' && !isAbsolute(p)) attrs.set('path', resolve(flakeDirOnDisk, p));
    return attrs;
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text) && !text.startsWith('git+file:')) return parseInputUrl(text);
  // A directory (or git+file:): read as Nix reads a flake reference on the command line.
  const inst = parseInstallable(text.startsWith('git+file:') ? text : resolve(cwd, text), cwd, notice);
  if (inst.fragment !== '') throw new NixError('usage', `unexpected fragment '${inst.fragment}' in flake reference '${text}'`);
  const attrs = new Map<string, AttrValue>(inst.kind === 'git' ? [['type', 'git'], ['url', `file://${inst.root}`]] : [['type', 'path'], ['path', inst.root]]);
  if (inst.flakeDir !== '') attrs.set('dir', inst.flakeDir);
  return attrs;
}

/** Locks the installable's flake and makes sure every input it needs is in the store. */
export function lockInstallable(installable: FlakeInstallable, ev: Evaluator, options: FlakeOptions): LockedFlake {
  const tree = (options.readTree ?? readTree)(installable.root, installable.kind === 'git');
  const flakeRel = join(installable.flakeDir, 'flake.nix');
  const flakeDirOnDisk = join(installable.root, installable.flakeDir);
  if (!treeHas(tree, flakeRel)) {
    throw new NixError('eval', `path '${flakeRel}' in the repository '${installable.root}' is not tracked by Git; add it with 'git add ${flakeRel}' (a flake in a Git repository is its tracked files)`);
  }
  const readFlake = (path: string, name: string, lockRoot: readonly string[]) => readFlakeFile(path, ev.evalFile(path), name, lockRoot);
  const flake = readFlake(join(flakeDirOnDisk, 'flake.nix'), installable.name, []);
  const lockRel = join(installable.flakeDir, 'flake.lock');
  const lockFilePath = join(flakeDirOnDisk, 'flake.lock');
  let lockFile = readLockFile(lockFilePath);
  if (lockFile && !treeHas(tree, lockRel)) {
    options.notice(`warning: ignoring '${lockFilePath}', which Git does not track (Nix reads a flake's lock file from its tracked files)`);
    lockFile = undefined;
  }
  const overrides = new Map<string, InputAttrs>();
  for (const [name, ref] of options.overrideInputs) {
    overrides.set(parseInputPath(name).join('/'), overrideRef(ref, flakeDirOnDisk, options.cwd, options.notice));
  }
  const graph = lockFlake({ tree, flakeDir: installable.flakeDir, name: installable.name, flake, lockFile, lockFilePath },
    { readFlake, overrides, standInDir: options.standInDir, notice: options.notice, readTree: options.readTree });
  const sources = resolveSources(graph, { runner: options.runner, standInDir: options.standInDir });
  const nixpkgs = findInput(graph, ['nixpkgs']);
  const nixpkgsSource = nixpkgs?.isFlake ? sources.get(nixpkgs) : undefined;
  const nixpkgsDir = nixpkgsSource && dirOf(nixpkgsSource);
  return { installable, graph, sources, nixpkgsDir: nixpkgsDir && isPackageSetDir(nixpkgsDir) ? nixpkgsDir : undefined };
}

function dirOf(src: ResolvedSource): string {
  return src.flakeDir === '' ? src.storePath : `${src.storePath}/${src.flakeDir}`;
}

/** The top-level flake's value; package-set inputs get their outputs from `packageSetOutputs` (the bridge). */
export function evalFlake(locked: LockedFlake, ev: Evaluator, packageSetOutputs: (dir: string) => NixAttrs): Value {
  return callFlake(locked.graph, locked.sources, { ev, packageSetOutputs });
}
