/**
 * The value of a locked flake, computed natively with the meaning current Nix
 * gives it (its call-flake.nix): each input is, lazily,
 *
 *   outputs // sourceInfo // { outPath; inputs; outputs; sourceInfo; _type = "flake"; }
 *
 * where `outputs` is flake.nix's `outputs` function called with the inputs
 * and `self` (the very value being defined, so it is lazy in itself),
 * `sourceInfo` the fetcher's attributes of the source (`outPath`, `narHash`,
 * `lastModified`, `lastModifiedDate`, for Git `rev`/`shortRev`/`revCount` or
 * `dirtyRev`), and `outPath` the flake's directory in the store (the source,
 * or a directory of it for `dir=` and relative inputs). An input with
 * `flake = false` is its sourceInfo. An input that is a package set (nixpkgs,
 * or tsportable's stand-in) gets its outputs from the bridge: the package set
 * Nix evaluates, with its builder plugins and `lib` native.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import type { Evaluator } from '../eval/index.js';
import { type Lazy, type Value, NixAttrs, NixString } from '../eval/value/index.js';
import { force, lazy } from '../eval/value/force.js';
import { callFunction } from '../eval/value/call.js';
import { showType } from '../eval/value/types.js';
import { readFlakeFile } from './flakeFile.js';
import { findInput, isFollows, type LockGraph, type LockedInput } from './lock.js';
import { intAttr, refToString, showInputPath, strAttr } from './ref.js';
import type { ResolvedSource } from './sources.js';

export interface CallFlakeEnv {
  readonly ev: Evaluator;
  /** The outputs of a package-set input rooted at `dir` (the bridge's). */
  packageSetOutputs(dir: string): NixAttrs;
}

/** `%Y%m%d%H%M%S` in UTC, as Nix writes lastModifiedDate. */
export function lastModifiedDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** A directory of a store path as a string whose context is that store path. */
function storeString(storePath: string, dir: string): NixString {
  return new NixString(dir === '' ? storePath : `${storePath}/${dir}`, new Set([storePath]));
}

/** The attributes current Nix's fetchTree reports for a source (emitTreeAttrs). */
export function sourceInfoOf(src: ResolvedSource): NixAttrs {
  const a = src.attrs;
  const m = new Map<string, Lazy>();
  m.set('outPath', storeString(src.storePath, src.sourceDir));
  const narHash = strAttr(a, 'narHash');
  if (narHash !== undefined) m.set('narHash', narHash);
  if (a.get('type') === 'git') m.set('submodules', a.get('submodules') === true);
  const rev = strAttr(a, 'rev');
  if (rev !== undefined) {
    m.set('rev', rev);
    m.set('shortRev', rev.slice(0, 7));
  }
  const revCount = intAttr(a, 'revCount');
  if (revCount !== undefined) m.set('revCount', revCount);
  else if (src.revCount) m.set('revCount', lazy(src.revCount));
  const dirtyRev = strAttr(a, 'dirtyRev');
  if (dirtyRev !== undefined) {
    m.set('dirtyRev', dirtyRev);
    m.set('dirtyShortRev', strAttr(a, 'dirtyShortRev') ?? `${dirtyRev.slice(0, 7)}-dirty`);
  }
  const lastModified = intAttr(a, 'lastModified');
  if (lastModified !== undefined) {
    m.set('lastModified', lastModified);
    m.set('lastModifiedDate', lastModifiedDate(lastModified));
  }
  return new NixAttrs(m);
}

/** A package set's source: nixpkgs (`pkgs/top-level/all-packages.nix`) or tsportable's stand-in (`all-packages.nix`). */
export function isPackageSetDir(dir: string): boolean {
  if (!existsSync(join(dir, 'lib', 'default.nix')) || !existsSync(join(dir, 'default.nix'))) return false;
  return existsSync(join(dir, 'pkgs', 'top-level', 'all-packages.nix'))
    || (existsSync(join(dir, 'all-packages.nix')) && existsSync(join(dir, 'build-support', 'portable-service.nix')));
}

/** The value of the top-level flake (what `builtins.getFlake` gives): its outputs are its `outputs` attribute. */
export function callFlake(graph: LockGraph, sources: ReadonlyMap<LockedInput | 'root', ResolvedSource>, env: CallFlakeEnv): Value {
  const values = new Map<LockedInput | 'root', Lazy>();

  const valueOf = (node: LockedInput | 'root'): Lazy => {
    let v = values.get(node);
    if (v === undefined) {
      v = lazy(() => compute(node));
      values.set(node, v);
    }
    return v;
  };

  const compute = (node: LockedInput | 'root'): Value => {
    const src = sources.get(node);
    if (!src) throw new NixError('eval', `internal: no source for the flake input '${node === 'root' ? 'self' : showInputPath(node.path)}'`);
    const sourceInfo = sourceInfoOf(src);
    if (node !== 'root' && !node.isFlake) return sourceInfo;
    const outPath = storeString(src.storePath, src.flakeDir);
    const dir = outPath.s;
    const name = node === 'root' ? graph.root.name : refToString(node.locked);

    const edges = node === 'root' ? graph.inputs : node.inputs;
    const inputs = new Map<string, Lazy>();
    for (const [inputName, edge] of edges) {
      inputs.set(inputName, lazy(() => {
        if (!isFollows(edge)) return force(valueOf(edge));
        // An empty follows path (`follows = ""`) is the top-level flake, as Nix resolves it.
        if (edge.length === 0) return force(valueOf('root'));
        const target = findInput(graph, edge);
        return force(target ? valueOf(target) : missingFollows(edge));
      }));
    }
    const inputsSet = new NixAttrs(inputs);

    let out: Value;
    if (node !== 'root' && isPackageSetDir(dir)) {
      out = env.packageSetOutputs(dir);
    } else {
      const file = `${dir}/flake.nix`;
      const flake = readFlakeFile(file, env.ev.evalFile(file), name, node === 'root' ? [] : node.path);
      // `self` is the value being made: lazy, so outputs may refer to it.
      const args = new NixAttrs(new Map([...inputsSet.map, ['self', valueOf(node)]]));
      out = force(callFunction(flake.outputs, [args], flake.outputsSpan));
    }
    if (!(out instanceof NixAttrs)) {
      throw new NixError('eval', `the outputs of the flake '${name}' must be a set, but they are ${showType(out)}`, undefined);
    }
    const m = new Map<string, Lazy>(out.map);
    for (const [k, x] of sourceInfo.map) m.set(k, x);
    m.set('outPath', outPath);
    m.set('inputs', inputsSet);
    m.set('outputs', out);
    m.set('sourceInfo', sourceInfo);
    m.set('_type', 'flake');
    return new NixAttrs(m);
  };

  return force(valueOf('root'));
}

function missingFollows(path: readonly string[]): never {
  throw new NixError('eval', `input '${showInputPath(path)}' does not exist`);
}
