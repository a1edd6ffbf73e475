/**
 * The package set: the value of `import <nixpkgs> { ... }`. It is a foreign
 * value, since evaluating nixpkgs is Nix's job, with two exceptions answered
 * natively: `lib`, evaluated by tsportable from the package set's own lib, and
 * the attributes a builder plugin models (`writeText`, `portableService`, ...),
 * which become native functions: fully applied, they validate their arguments
 * into a spec and return the foreign value of the same call, carrying the spec.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../eval/span.js';
import { NixError } from '../eval/errors.js';
import { type Lazy, type Value, NixAttrs, NixList, PrimOp } from '../eval/value/index.js';
import { force, lazy } from '../eval/value/force.js';
import { didYouMean } from '../eval/value/attrs.js';
import { evalSettings } from '../eval/settings.js';
import type { BuilderPlugin } from '../builders/types.js';
import type { DefaultSetNames } from './defaultSetNames.js';
import { ForeignHandle, type RootNames } from './foreign.js';
import { pathLiteral } from './nixLiterals.js';
import { callPackageFunction, packageSetArgs, withExtra } from './callPackage.js';

export interface PackageSetEnv {
  /** The nixpkgs directory in use (a real nixpkgs, or tsportable's nix/pkgs). */
  readonly nixpkgsDir: string;
  /** Where `lib` comes from when the package set has none of its own. */
  readonly fallbackLibDir: string;
  /** Evaluates a file natively; the result is remembered as `import <path>` for write-back. */
  importNative(path: string): Value;
  getBuilder(attrPath: string): BuilderPlugin<unknown> | undefined;
  /** Records the function value standing for `pkgs.<attr>`, for write-back. */
  registerFunction(op: PrimOp, handle: ForeignHandle): void;
  /** Called once a package set is made (the notice about the default set). */
  onCreate(): void;
  /** `pkgs.path`: the set's root directory as a path value (`pkgsPath` is the foreign `pkgs.path`). */
  rootPath?(pkgsPath: ForeignHandle, span: Span | undefined): Value;
  /** The names of tsportable's default set, when it is the set in use. */
  readonly defaultNames?: DefaultSetNames;
  /** A package of the default set is made from the host's program at `path`. */
  onHostPackage?(name: string, path: string): void;
}

/**
 * Members of the set computed natively: `callPackage` and `newScope` (so a
 * package file gets the builder plugins), `path` (so `import pkgs.path { }` is
 * a package set again). Only the set's own members, not `pkgs.foo.callPackage`.
 */
function nativeMember(env: PackageSetEnv, set: ForeignHandle, attrPath: string, span: Span | undefined): Lazy | undefined {
  if (!set.onSelect) return undefined;
  const importFile = (path: string): Value => env.importNative(path);
  if (attrPath === 'callPackage') {
    const op = callPackageFunction('pkgs.callPackage', packageSetArgs(set), importFile);
    env.registerFunction(op, set.child(attrPath, span));
    return op;
  }
  if (attrPath === 'newScope') {
    const op = new PrimOp('pkgs.newScope', 1, ([extra], s) =>
      callPackageFunction('callPackage', withExtra(packageSetArgs(set), extra, s), importFile),
    "nixpkgs' newScope: a callPackage over the package set and the given attributes");
    env.registerFunction(op, set.child(attrPath, span));
    return op;
  }
  if (attrPath === 'path' && env.rootPath) {
    const rootPath = env.rootPath;
    return lazy(() => rootPath(set.child('path', span), span));
  }
  return undefined;
}

/** `import <nixpkgs> args`: args are the native arguments, written back when a build needs them. */
export function makePackageSet(env: PackageSetEnv, args: readonly Lazy[], span: Span | undefined): ForeignHandle {
  env.onCreate();
  // Per package set: `pkgs.extend f` (same onSelect, another root) has its own `writeText`, which the overlay may have changed.
  const members = new Map<string, Lazy>();
  let lib: Lazy | undefined;
  return new ForeignHandle({ kind: 'call', source: `import ${pathLiteral(env.nixpkgsDir)}`, args }, span, 'pkgs', {
    names: rootNames(env, args),
    onSelect(handle, name, selectSpan) {
      const attrPath = handle.onSelect ? name : handle.attrPath && `${handle.attrPath}.${name}`;
      if (attrPath === undefined) return undefined;
      if (attrPath === 'lib') return (lib ??= lazy(() => env.importNative(libDir(env))));
      const key = `${handle.packageSetRoot()?.id}:${attrPath}`;
      const known = members.get(key);
      if (known !== undefined) return known;
      const made = nativeMember(env, handle, attrPath, selectSpan) ?? pluginMember(env, handle, name, attrPath, selectSpan);
      if (made !== undefined) members.set(key, made);
      return made;
    },
  });
}

/** `pkgs.<attrPath>` when a builder plugin models it. */
function pluginMember(env: PackageSetEnv, handle: ForeignHandle, name: string, attrPath: string,
  span: Span | undefined): PrimOp | undefined {
  const plugin = env.getBuilder(attrPath);
  if (!plugin) return undefined;
  const fn = handle.child(name, span);
  const op = pluginFunction(plugin, fn);
  env.registerFunction(op, fn);
  return op;
}

function libDir(env: PackageSetEnv): string {
  const own = join(env.nixpkgsDir, 'lib');
  return existsSync(join(own, 'default.nix')) ? own : env.fallbackLibDir;
}

/**
 * `pkgs.writeText` and its kind: a native function of the plugin's arity.
 * Applied fully, it makes the spec (argument errors at their spans) and the
 * foreign value `pkgs.writeText a b`, named as the plugin says its output is.
 */
function pluginFunction(plugin: BuilderPlugin<unknown>, fn: ForeignHandle): PrimOp {
  return new PrimOp(`pkgs.${plugin.attrPath}`, plugin.arity, (args, span) => {
    const spec = plugin.toSpec(args, span);
    let name: string | undefined;
    try {
      name = plugin.preview(spec).name;
    } catch {
      name = undefined; // the name is only cosmetic in the placeholder
    }
    let h = fn;
    args.forEach((a, i) => {
      h = h.apply(a, span, i === args.length - 1 ? name : undefined);
    });
    h.builder = { plugin, spec };
    h.knownName = name;
    return h;
  }, `nixpkgs' ${plugin.attrPath}, modelled natively by tsportable`);
}

/** Whether a set's arguments add no overlay: only then are its names the default set's own. */
function withoutOverlays(args: readonly Lazy[]): boolean {
  try {
    const set = args.length === 0 ? NixAttrs.empty : force(args[0]!);
    if (!(set instanceof NixAttrs)) return false;
    return ['overlays', 'crossOverlays'].every((n) => {
      const v = set.get(n);
      if (v === undefined) return true;
      const list = force(v);
      return list instanceof NixList && list.items.length === 0;
    });
  } catch {
    return false; // Nix will report the bad argument itself
  }
}

/** The default set's names for a root made with `args`, or undefined when only Nix can say. */
function rootNames(env: PackageSetEnv, args: readonly Lazy[]): RootNames | undefined {
  const names = env.defaultNames;
  if (!names) return undefined;
  let judged: boolean | undefined;
  const judges = () => (judged ??= withoutOverlays(args));
  return {
    has: (name) => (judges() ? names.lookup(name).kind !== 'none' : undefined),
    selected(name, span) {
      if (!judges()) return;
      const found = names.lookup(name);
      if (found.kind === 'host') env.onHostPackage?.(name, found.path);
      if (found.kind !== 'none') return;
      const e = new NixError('eval', `attribute '${name}' missing`, span);
      const similar = didYouMean(name, names.own());
      if (similar) e.hints.push(similar);
      e.hints.push(evalSettings.pureEval || evalSettings.restrictEval
        ? `tsportable's default package set has no '${name}', and in pure or restricted evaluation it offers no host programs; use nixpkgs (-I nixpkgs=PATH, or a nixpkgs flake input)`
        : `tsportable's default package set has no '${name}', and the host has no program '${name}' (in ${names.hostDirs().join(', ')}) to make one from: install it, or use nixpkgs (-I nixpkgs=PATH)`);
      throw e;
    },
  };
}
