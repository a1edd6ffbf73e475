/**
 * `pkgs.callPackage` (and the callPackage of `pkgs.newScope extra`), computed
 * natively as nixpkgs' `lib.callPackageWith` behaves. Run by Nix, the user's
 * package file would receive Nix's own `portableService`, and tsportable
 * would get a derivation instead of the builder plugin's value; run here, the
 * file's formals are filled from the package set as tsportable models it
 * (builder plugins native, `lib` native, every other package foreign).
 *
 * What is hard:
 * - Knowing whether the set has a name costs Nix a process unless the name is
 *   modelled natively or given explicitly; it is asked only for formals that
 *   are neither (once per set: the oracle fetches all names at once).
 * - The result must be the plugin's own value (the build reads `.builder` of
 *   the top-level value), yet `.override` must work on it: a foreign result is
 *   wrapped in a handle standing for the same value that answers `override`
 *   natively and carries the result's builder spec.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { type Lazy, type Value, Lambda, NixAttrs, NixPath, NixString, PrimOp, PrimOpApp, isForeign } from '../eval/value/index.js';
import { force, forceAttrs } from '../eval/value/force.js';
import { callFunction } from '../eval/value/call.js';
import { hooks } from '../eval/value/hooks.js';
import { ForeignHandle } from './foreign.js';

/** The set callPackage fills formals from: the value of a name, or undefined when the set has no such name. */
export type AutoArgs = (name: string, span: Span | undefined) => Lazy | undefined;

/** Evaluates a file natively (the evaluator's import). */
export type ImportFile = (path: string, span: Span | undefined) => Value;

/** The names a package set answers natively, as `AutoArgs`: no Nix for these, the oracle for others. */
export function packageSetArgs(pkgs: ForeignHandle): AutoArgs {
  return (name, span) => (pkgs.hasAttr(name) ? pkgs.select(name, span) : undefined);
}

/** `autoArgs // extra` for `pkgs.newScope extra`: the extra set wins (forced when first asked, as `//` would be). */
export function withExtra(base: AutoArgs, extra: Lazy, extraSpan: Span | undefined): AutoArgs {
  let set: NixAttrs | undefined;
  return (name, span) => {
    set ??= forceAttrs(extra, extraSpan, 'while evaluating the argument passed to newScope');
    return set.get(name) ?? base(name, span);
  };
}

/** A native `callPackage` function over `autoArgs` (arity 2: the function or file, then the explicit arguments). */
export function callPackageFunction(name: string, autoArgs: AutoArgs, importFile: ImportFile): PrimOp {
  return new PrimOp(name, 2, ([fn, args], span) => callPackageWith(autoArgs, fn, args, span, importFile),
    "nixpkgs' callPackage, computed by tsportable so that the package's builder plugins stay native");
}

export function callPackageWith(autoArgs: AutoArgs, fnArg: Lazy, argsArg: Lazy, span: Span | undefined,
  importFile: ImportFile): Value {
  const callee = calleeOf(fnArg, span, importFile);
  const explicit = forceAttrs(argsArg, span, 'while evaluating the second argument passed to callPackage');
  const formals = formalsOf(callee, span);
  const args = new Map<string, Lazy>();
  for (const [name, formal] of formals) {
    if (explicit.has(name)) continue;
    const auto = autoArgs(name, span);
    if (auto !== undefined) args.set(name, auto);
    else if (!formal.hasDefault) throw missingArgument(name, formal.span, span);
  }
  // Every explicit argument is passed, formal or not (a function without `...` then rejects it, as in Nix).
  for (const [name, v] of explicit.map) args.set(name, v);
  return overridable(callee, new NixAttrs(args), span);
}

/** The function callPackage calls: a function, or the value of a file (a directory means its default.nix). */
function calleeOf(fnArg: Lazy, span: Span | undefined, importFile: ImportFile): Value {
  const v = force(fnArg);
  let path: string | undefined;
  if (v instanceof NixPath) path = v.path;
  else if (typeof v === 'string' && v.startsWith('/')) path = v;
  else if (v instanceof NixString && v.context.size === 0 && v.s.startsWith('/')) path = v.s;
  if (path === undefined) return v;
  const hooked = hooks.importHook(path, span);
  if (hooked !== undefined) return hooked;
  const file = isDirectory(path) ? join(path, 'default.nix') : path;
  return importFile(file, span);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface FormalInfo {
  readonly hasDefault: boolean;
  readonly span: Span | undefined;
}

/** `lib.functionArgs`: a lambda's formals, a functor's `__functionArgs` (or its function's), nothing for others. */
function formalsOf(f: Value, span: Span | undefined): Map<string, FormalInfo> {
  const out = new Map<string, FormalInfo>();
  if (f instanceof Lambda) {
    for (const formal of f.expr.formals?.entries ?? []) out.set(formal.name, { hasDefault: formal.fallback !== undefined, span: formal.span });
  } else if (f instanceof NixAttrs && f.get('__functor') !== undefined) {
    const declared = f.get('__functionArgs');
    if (declared === undefined) return formalsOf(force(callFunction(f.get('__functor')!, [f], span)), span);
    const set = forceAttrs(declared, span);
    for (const [name, d] of set.map) out.set(name, { hasDefault: force(d) === true, span: set.positions?.get(name) });
  }
  return out;
}

/** nixpkgs' wording (lib/customisation.nix), as Nix shows an `abort`. */
function missingArgument(name: string, formalSpan: Span | undefined, span: Span | undefined): NixError {
  const at = formalSpan && formalSpan.source.path.startsWith('/') ? `${formalSpan.source.path}:${formalSpan.line}` : '<unknown location>';
  return new NixError('eval', 'evaluation aborted with the following error message: '
    + `'lib.customisation.callPackageWith: Function called without required argument "${name}" at ${at}'`, span);
}

/**
 * `lib.makeOverridable f args` for a native call: the result gains `override`
 * (newArgs or old: newArgs, merged over `args`, the call made again) and, when
 * it has one, an `overrideAttrs` whose result is overridable again.
 */
function overridable(f: Value, args: NixAttrs, span: Span | undefined): Value {
  const result = force(callFunction(f, [args], span));
  const override = new PrimOp('override', 1, ([newArgs], s) => {
    const n = force(newArgs);
    const given = n instanceof Lambda || n instanceof PrimOp || n instanceof PrimOpApp ? callFunction(n, [args], s) : n;
    const merged = new Map(args.map);
    for (const [k, v] of forceAttrs(given, s, 'while evaluating the argument passed to override').map) merged.set(k, v);
    return overridable(f, new NixAttrs(merged), s);
  }, 'makeOverridable: calls the function again with these arguments merged over the original ones');
  if (result instanceof NixAttrs) {
    const top = new Map<string, Lazy>([['override', override]]);
    const overrideAttrs = result.get('overrideAttrs');
    if (overrideAttrs !== undefined) {
      top.set('overrideAttrs', new PrimOp('overrideAttrs', 1, ([g], s) => {
        const r = force(callFunction(overrideAttrs, [g], s));
        return r instanceof NixAttrs ? NixAttrs.layer(r, new Map([['override', override]]), r.size + (r.has('override') ? 0 : 1)) : r;
      }, 'overrideAttrs of an overridable result'));
    }
    const added = [...top.keys()].filter((k) => !result.has(k)).length;
    return NixAttrs.layer(result, top, result.size + added);
  }
  if (isForeign(result) && result instanceof ForeignHandle && result.isStorePathLike()) {
    return new OverridableForeign(result, override, span);
  }
  return result;
}

/**
 * A foreign result of callPackage with a native `override`: it stands for the
 * same Nix value (`(x: x) <result>`) and keeps the result's builder spec and
 * name, so a plugin's value stays the plugin's value.
 */
class OverridableForeign extends ForeignHandle {
  constructor(result: ForeignHandle, private readonly overrideFn: PrimOp, span: Span | undefined) {
    super({ kind: 'call', source: '(x: x)', args: [result] }, span, result.describe(), { storeName: result.name });
    this.builder = result.builder;
    this.knownName = result.knownName;
  }

  override select(name: string, span: Span | undefined): Lazy | undefined {
    return name === 'override' ? this.overrideFn : super.select(name, span);
  }

  override hasAttr(name: string): boolean | undefined {
    return name === 'override' ? true : super.hasAttr(name);
  }
}
