/**
 * Locking: the graph of a flake's inputs as `nix build` computes it before
 * evaluating, from flake.nix, flake.lock and `--override-input`, following
 * current Nix's rules (lockFlake in src/libflake): an input whose reference is
 * unchanged since the lock was written keeps its lock entry (and, trusted, the
 * entries below it); an input that is new, changed or overridden is locked
 * again. tsportable locks again only what it can read without fetching: local
 * paths (`path:`, relative `./sub`, a Git working tree). Anything else that
 * needs a new lock entry is an error saying to run `nix flake lock`;
 * tsportable never writes flake.lock.
 *
 * `follows` edges are kept as input paths from the root and resolved once the
 * graph is complete, as Nix resolves them (a path may go through other follows).
 * Overrides in a flake.nix (`inputs.a.inputs.nixpkgs.follows = "nixpkgs"`)
 * apply to the inputs of its inputs; the first one set wins, so an override
 * from the command line beats one from a flake, and a flake's beats its
 * inputs' own.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { NixError } from '../eval/errors.js';
import type { FlakeFile, FlakeInput } from './flakeFile.js';
import { readLockFile, type LockFile, type LockNode } from './lockFile.js';
import {
  type InputAttrs, type InputPath, isRelativePath, refToString, sameRef, showInputPath, strAttr,
} from './ref.js';
import { readTree, type LocalTree, type TreeReader } from './tree.js';

/** Where a locked input's files come from. */
export type InputSource =
  /** A local tree read now: its store path is computed; Nix copies it if it is not in the store. */
  | { readonly kind: 'tree'; readonly tree: LocalTree }
  /** A lock entry: the store path its `narHash` implies, or fetched by Nix from its locked reference. */
  | { readonly kind: 'locked' }
  /** A relative `path:` input: a directory of the source of the flake that names it. */
  | { readonly kind: 'relative'; readonly parent: InputPath };

export interface LockedInput {
  /** The input path that first reaches this input (`flake-utils/systems`): messages and `--override-input` name it so. */
  readonly path: InputPath;
  readonly locked: InputAttrs;
  readonly original: InputAttrs;
  readonly isFlake: boolean;
  readonly source: InputSource;
  /** The flake's directory inside its source ('' for the top; a relative input's path joined to its parent's). */
  readonly flakeDir: string;
  /** Input name → the input, or the input path it follows. */
  readonly inputs: Map<string, LockedInput | InputPath>;
}

export interface RootFlake {
  readonly tree: LocalTree;
  /** The flake's directory inside the tree ('' or `sub/dir`). */
  readonly flakeDir: string;
  /** How messages name it: `path:/x`, `git+file:///repo?dir=sub`. */
  readonly name: string;
  readonly flake: FlakeFile;
  readonly lockFile?: LockFile;
  readonly lockFilePath: string;
}

export interface LockGraph {
  readonly root: RootFlake;
  readonly inputs: Map<string, LockedInput | InputPath>;
  /**
   * The lock differs from flake.lock (an input locked anew, a follows changed, an input gone).
   * tsportable does not write it, and Nix, not writing a changed lock (`--override-input`,
   * `--no-write-lock-file`), treats the flake as dirty: no rev, shortRev nor revCount.
   */
  readonly changed: boolean;
}

/** What locking needs from its caller: reading a flake.nix (the evaluator's job). */
export interface LockEnv {
  /** Reads the flake.nix at `path`; `lockRoot` is where that flake sits in the lock (for its `follows`). */
  readFlake(path: string, name: string, lockRoot: InputPath): FlakeFile;
  /** `--override-input NAME REF`, REF parsed (plain directories made absolute). */
  readonly overrides: ReadonlyMap<string, InputAttrs>;
  /** tsportable's own package set, named as a way out for a `nixpkgs` input. */
  readonly standInDir: string;
  /** Where Nix-style warnings go. */
  readonly notice: (message: string) => void;
  /** How local trees are read (default: from disk, every time). */
  readonly readTree?: TreeReader;
}

interface Override {
  readonly input: FlakeInput;
  readonly fromCli: boolean;
  /** For a relative reference: the input path of the flake it is relative to. */
  readonly parent: InputPath;
  /** The directory the reference is relative to (the overriding flake's, on disk). */
  readonly baseDir?: string;
}

const key = (path: InputPath) => path.join('/');

/** An error about one input of the flake (it cannot be locked, found or fetched): the editor shows it where the input is declared. */
export class FlakeInputError extends NixError {
  constructor(readonly input: InputPath, message: string) {
    super('eval', message);
  }
}

/** The input for an error: `'nixpkgs' (github:NixOS/nixpkgs/nixos-23.11)`. */
function describeInput(path: InputPath, ref: InputAttrs): string {
  return `'${showInputPath(path)}' (${refToString(ref)})`;
}

/** A local directory a reference names, if it names one tsportable can read without fetching. */
function localDirOf(ref: InputAttrs): { dir: string; git: boolean } | undefined {
  const type = ref.get('type');
  const path = strAttr(ref, 'path');
  if (type === 'path' && path !== undefined && isAbsolute(path)) return { dir: path, git: false };
  const url = strAttr(ref, 'url');
  if (type === 'git' && url?.startsWith('file://') && ref.get('rev') === undefined && ref.get('ref') === undefined) {
    return { dir: url.slice('file://'.length).replace(/\?.*$/, ''), git: true };
  }
  return undefined;
}

export function lockFlake(root: RootFlake, env: LockEnv): LockGraph {
  const overrides = new Map<string, Override>();
  for (const [name, ref] of env.overrides) {
    overrides.set(name, { input: { ref, isFlake: true, overrides: new Map() }, fromCli: true, parent: [], baseDir: flakeDirOnDisk(root) });
  }
  const used = new Set<string>();
  let changed = false;
  const rootInputs = new Map<string, LockedInput | InputPath>();
  const oldRoot = root.lockFile?.nodes.get(root.lockFile.root);

  const lockNode = (edge: LockNode | readonly string[] | undefined): LockNode | undefined =>
    edge === undefined || isPath(edge) ? undefined : edge;

  /**
   * Locks `flakeInputs` (a flake.nix's inputs, or a kept lock entry's) into
   * `into`. `old`: the lock entry they may keep. `flakeDir`: the directory of
   * the flake naming them, on disk, when it was read from disk (relative
   * references resolve against it).
   */
  const compute = (flakeInputs: ReadonlyMap<string, FlakeInput>, into: Map<string, LockedInput | InputPath>,
    prefix: InputPath, old: LockNode | undefined, followsPrefix: InputPath, flakeDir: string | undefined): void => {
    for (const name of old?.inputs.keys() ?? []) if (!flakeInputs.has(name)) changed = true;
    const addOverrides = (input: FlakeInput, path: InputPath): void => {
      for (const [id, o] of input.overrides) {
        const p = [...path, id];
        if ((o.ref || o.follows) && !overrides.has(key(p))) {
          overrides.set(key(p), { input: o, fromCli: false, parent: prefix, baseDir: flakeDir });
        }
        addOverrides(o, p);
      }
    };
    for (const [id, input] of flakeInputs) addOverrides(input, [...prefix, id]);

    for (const [id, declared] of flakeInputs) {
      const path = [...prefix, id];
      const override = overrides.get(key(path));
      if (override) used.add(key(path));
      const input: FlakeInput = override ? { ...override.input, isFlake: declared.isFlake } : declared;
      try {
        if (input.follows) {
          into.set(id, input.follows);
          const before = old?.inputs.get(id);
          if (!before || !isPath(before) || key(before) !== key(input.follows)) changed = true;
          continue;
        }
        const ref: InputAttrs = input.ref ?? new Map([['type', 'indirect'], ['id', id]]);
        const relativeTo = isRelativePath(ref) ? (override ? override.parent : prefix) : undefined;
        const oldEntry = old?.inputs.get(id);
        const oldLock = lockNode(oldEntry);
        if (oldLock?.original && oldLock.locked && sameRef(oldLock.original, ref)
          && key(oldLock.parent ?? []) === key(relativeTo ?? []) && (oldLock.parent !== undefined) === (relativeTo !== undefined)
          && !override?.fromCli) {
          // Unchanged since the lock was written: keep the entry, and trust the entries below it.
          const child: LockedInput = {
            path,
            locked: oldLock.locked,
            original: oldLock.original,
            isFlake: oldLock.isFlake,
            source: isRelativePath(oldLock.locked) ? { kind: 'relative', parent: oldLock.parent ?? prefix } : { kind: 'locked' },
            flakeDir: strAttr(oldLock.locked, 'dir') ?? '',
            inputs: new Map(),
          };
          into.set(id, child);
          const kept = new Map<string, FlakeInput>();
          for (const [name, target] of oldLock.inputs) {
            if (isPath(target)) kept.set(name, { follows: [...followsPrefix, ...target], isFlake: true, overrides: new Map() });
            else if (target.original) kept.set(name, { ref: target.original, isFlake: target.isFlake, overrides: new Map() });
          }
          compute(kept, child.inputs, path, oldLock, followsPrefix, undefined);
          continue;
        }
        into.set(id, lockAnew(path, ref, override?.fromCli && declared.ref ? declared.ref : ref, input.isFlake,
          relativeTo, override?.baseDir ?? flakeDir, oldEntry !== undefined));
      } catch (e) {
        if (e instanceof NixError) e.addTrace(`while updating the flake input '${showInputPath(path)}'`);
        throw e;
      }
    }
  };

  /** An input locked now from a local directory, its own inputs locked from its flake.nix and flake.lock. */
  const lockAnew = (path: InputPath, ref: InputAttrs, original: InputAttrs, isFlake: boolean,
    relativeTo: InputPath | undefined, baseDir: string | undefined, wasLocked: boolean): LockedInput => {
    changed = true;
    let source: InputSource;
    let dirOnDisk: string;
    let locked: InputAttrs;
    let flakeDir: string;
    const sub = strAttr(ref, 'dir') ?? '';
    if (relativeTo !== undefined) {
      if (baseDir === undefined) throw needsLock(path, ref, root, wasLocked, env.standInDir);
      dirOnDisk = join(resolve(baseDir, strAttr(ref, 'path')!), sub);
      source = { kind: 'relative', parent: relativeTo };
      locked = ref;
      flakeDir = sub;
    } else {
      const local = localDirOf(ref);
      if (!local) throw needsLock(path, ref, root, wasLocked, env.standInDir);
      if (!existsSync(local.dir) || !statSync(local.dir).isDirectory()) {
        throw new FlakeInputError(path, `path '${local.dir}' does not exist (the flake input ${describeInput(path, ref)})`);
      }
      const tree = (env.readTree ?? readTree)(local.dir, local.git);
      source = { kind: 'tree', tree };
      locked = new Map(tree.attrs);
      if (sub !== '') locked.set('dir', sub);
      flakeDir = sub;
      dirOnDisk = join(local.dir, sub);
    }
    const node: LockedInput = { path, locked, original, isFlake, source, flakeDir, inputs: new Map() };
    if (isFlake) {
      const file = join(dirOnDisk, 'flake.nix');
      if (!existsSync(file)) throw new NixError('eval', `path '${file}' does not exist (the flake input ${describeInput(path, ref)} has no flake.nix; is it 'flake = false'?)`);
      const flake = env.readFlake(file, refToString(ref), path);
      const ownLock = readLockFile(join(dirOnDisk, 'flake.lock'));
      compute(flake.inputs, node.inputs, path, ownLock?.nodes.get(ownLock.root), path, dirOnDisk);
    }
    return node;
  };

  compute(root.flake.inputs, rootInputs, [], oldRoot, [], flakeDirOnDisk(root));
  for (const name of env.overrides.keys()) {
    if (!used.has(name)) env.notice(`warning: the flag '--override-input ${name} ${refToString(env.overrides.get(name)!)}' does not match any input`);
  }
  const graph: LockGraph = { root, inputs: rootInputs, changed };
  checkFollows(graph);
  return graph;
}

function isPath(edge: LockNode | readonly string[]): edge is readonly string[] {
  return Array.isArray(edge);
}

function flakeDirOnDisk(root: RootFlake): string {
  return join(root.tree.root, root.flakeDir);
}

function needsLock(path: InputPath, ref: InputAttrs, root: RootFlake, wasLocked: boolean, standInDir: string): NixError {
  const why = wasLocked ? 'has changed since flake.lock was written' : `is not in ${root.lockFile ? 'flake.lock' : 'a lock file (the flake has no flake.lock)'}`;
  const name = showInputPath(path);
  const e = new FlakeInputError(path, `the flake input ${describeInput(path, ref)} ${why}, and tsportable only locks local paths`);
  const standIn = name === 'nixpkgs' || name.endsWith('/nixpkgs') ? ` (path:${standInDir} is tsportable's own package set)` : '';
  e.hints.push(`run 'nix flake lock' in ${flakeDirOnDisk(root)} to lock it (tsportable reads flake.lock but never writes it), or add --override-input ${name} PATH${standIn}`);
  return e;
}

/** The input an input path reaches, following `follows` on the way (Nix's LockFile::findInput). */
export function findInput(graph: LockGraph, path: InputPath, visited: string[] = []): LockedInput | undefined {
  if (visited.includes(key(path))) {
    throw new NixError('eval', `follow cycle detected: [${[...visited, key(path)].join(' -> ')}]`);
  }
  const seen = [...visited, key(path)];
  let inputs = graph.inputs;
  let found: LockedInput | undefined;
  for (const name of path) {
    const edge = inputs.get(name);
    if (edge === undefined) return undefined;
    found = isFollows(edge) ? findInput(graph, edge, seen) : edge;
    if (!found) return undefined;
    inputs = found.inputs;
  }
  return found;
}

export function isFollows(edge: LockedInput | InputPath): edge is InputPath {
  return Array.isArray(edge);
}

/** Every input reachable from the root, each once, in the order of their first input paths. */
export function allInputs(graph: LockGraph): LockedInput[] {
  const out: LockedInput[] = [];
  const seen = new Set<LockedInput>();
  const visit = (inputs: Map<string, LockedInput | InputPath>): void => {
    for (const edge of inputs.values()) {
      if (isFollows(edge) || seen.has(edge)) continue;
      seen.add(edge);
      out.push(edge);
      visit(edge.inputs);
    }
  };
  visit(graph.inputs);
  return out;
}

/** Nix's check that every `follows` leads to an input. */
function checkFollows(graph: LockGraph): void {
  const visit = (inputs: Map<string, LockedInput | InputPath>, prefix: InputPath, done: Set<LockedInput>): void => {
    for (const [name, edge] of inputs) {
      const path = [...prefix, name];
      if (isFollows(edge)) {
        if (edge.length > 0 && !findInput(graph, edge)) {
          throw new NixError('eval', `input '${showInputPath(path)}' follows a non-existent input '${showInputPath(edge)}'`);
        }
      } else if (!done.has(edge)) {
        done.add(edge);
        visit(edge.inputs, path, done);
      }
    }
  };
  visit(graph.inputs, [], new Set());
}

/** A relative directory joined to a flake's directory, kept inside its source. */
export function joinFlakeDir(base: string, rel: string, what: string): string {
  const joined = posix.normalize(posix.join(base === '' ? '.' : base, rel)).replace(/\/$/, '');
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined)) {
    throw new NixError('eval', `the relative path '${rel}' of ${what} leaves its flake's source tree`);
  }
  return joined === '.' ? '' : joined;
}
