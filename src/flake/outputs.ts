/**
 * Which output an installable's fragment names, as `nix build` looks it up
 * (InstallableFlake): `FLAKE#attr` tries `packages.<system>.attr`, then
 * `legacyPackages.<system>.attr`, then `attr`; an empty fragment tries
 * `packages.<system>.default`, then `defaultPackage.<system>`; `#.attr`
 * tries only `attr`. The first path that exists wins; a path that runs into
 * something that is not a set is skipped, as Nix skips it. A miss lists the
 * paths tried, with the names close to the missing one.
 */
import { NixError } from '../eval/errors.js';
import { parseAttrPath } from '../eval/index.js';
import { type Lazy, type Value, NixAttrs, isForeign } from '../eval/value/index.js';
import { force } from '../eval/value/force.js';
import { closeNames, suggestionHint } from '../eval/value/attrs.js';

/** The attribute paths an installable's fragment stands for, in the order they are tried. */
export function installableAttrPaths(fragment: string, system: string): string[] {
  if (fragment.startsWith('.')) return [fragment.slice(1)];
  if (fragment === '') return [`packages.${system}.default`, `defaultPackage.${system}`];
  return [`packages.${system}.${fragment}`, `legacyPackages.${system}.${fragment}`, fragment];
}

/** Nix's list of paths in messages: `'a', 'b' or 'c'`. */
function showAttrPaths(paths: readonly string[]): string {
  return paths.map((p, i) => `${i === 0 ? '' : i === paths.length - 1 ? ' or ' : ', '}'${p}'`).join('');
}

type Found = { readonly value: Value } | { readonly missing: string; readonly names: readonly string[] } | { readonly notASet: true };

/** The value at `attrPath`; with `exists`, only whether there is one (the last value is not forced: its `value` is null). */
function lookup(root: Value, attrPath: string, exists = false): Found {
  let v: Value = root;
  const names = attrPath === '' ? [] : parseAttrPath(attrPath);
  for (const [i, name] of names.entries()) {
    let next: Lazy | undefined;
    if (v instanceof NixAttrs) {
      next = v.get(name);
      if (next === undefined) return { missing: name, names: v.sortedNames() };
    } else if (v !== null && typeof v === 'object' && isForeign(v)) {
      // A package set (`legacyPackages.<system>`): asking Nix whether it has the name.
      if (v.hasAttr(name) === false) return { missing: name, names: v.attrsView?.(undefined).sortedNames() ?? [] };
      next = v.select(name, undefined);
      if (next === undefined) return { missing: name, names: [] };
    } else {
      return { notASet: true };
    }
    if (exists && i === names.length - 1) return { value: null };
    v = force(next);
  }
  return { value: v };
}

/** The output `fragment` names in a flake's `outputs`; `flakeName` (`path:/x`) is for the message of a miss. */
export function selectOutput(outputs: Value, fragment: string, system: string, flakeName: string): { attrPath: string; value: Value } {
  const paths = installableAttrPaths(fragment, system);
  const suggestions = new Set<string>();
  for (const attrPath of paths) {
    const found = lookup(outputs, attrPath);
    if ('value' in found) return { attrPath, value: found.value };
    if ('missing' in found) for (const n of closeNames(found.missing, found.names)) suggestions.add(n);
  }
  const e = new NixError('eval', `flake '${flakeName}' does not provide attribute ${showAttrPaths(paths)}`);
  const hint = suggestionHint([...suggestions].sort());
  if (hint) e.hints.push(hint);
  throw e;
}

/** An attribute path as an installable's fragment writes it: names holding a dot quoted. */
function joinAttrPath(names: readonly string[]): string {
  return names.map((n) => (n.includes('.') ? `"${n}"` : n)).join('.');
}

/** One thing `nix build FLAKE#fragment` can build for a system. */
export interface PackageOutput {
  /** Its place in the outputs: `packages.x86_64-linux.default`. */
  readonly attrPath: string;
  /** The shortest fragment naming it, as `nix build` looks fragments up (`default`, `portable.xedn`, `''` for defaultPackage). */
  readonly fragment: string;
  readonly value: Lazy;
}

export interface PackageOutputLimits {
  /** Levels of native sets under `legacyPackages.<system>` searched. */
  readonly depth: number;
  /** Outputs listed at most. */
  readonly count: number;
}

/**
 * The packages a flake offers for `system`, in the order `nix build` tries
 * their kinds: `packages.<system>.*`, `legacyPackages.<system>.*`, and
 * `defaultPackage.<system>`. Values are not forced, except the sets of
 * `legacyPackages.<system>` searched for what they hold (`portable.xedn`):
 * only sets evaluated natively, never a package set Nix evaluates (it is
 * the whole of nixpkgs), a few levels deep. A set that fails to evaluate
 * is reported through `onError` and skipped.
 */
export function packageOutputs(outputs: Value, system: string, limits: PackageOutputLimits, onError: (e: NixError) => void): PackageOutput[] {
  const found: Array<{ readonly kind: string; readonly names: readonly string[]; readonly value: Lazy }> = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      onError(e);
      return undefined;
    }
  };
  const setAt = (v: Lazy | undefined): NixAttrs | undefined => {
    if (v === undefined) return undefined;
    const x = attempt(() => force(v));
    return x instanceof NixAttrs ? x : undefined;
  };
  const top = outputs instanceof NixAttrs ? outputs : undefined;
  const packages = setAt(setAt(top?.get('packages'))?.get(system));
  for (const name of packages?.sortedNames() ?? []) found.push({ kind: 'packages', names: [name], value: packages!.get(name)! });
  const search = (set: NixAttrs, prefix: readonly string[], depth: number): void => {
    for (const name of set.sortedNames()) {
      if (found.length >= limits.count) return;
      const v = set.get(name)!;
      const x = attempt(() => force(v));
      if (x === undefined) continue;
      const names = [...prefix, name];
      if (x instanceof NixAttrs && x.get('type') === undefined) {
        if (depth < limits.depth) search(x, names, depth + 1);
      } else {
        found.push({ kind: 'legacyPackages', names, value: v });
      }
    }
  };
  const legacy = setAt(setAt(top?.get('legacyPackages'))?.get(system));
  if (legacy) search(legacy, [], 1);
  const defaultPackage = setAt(top?.get('defaultPackage'))?.get(system);
  if (defaultPackage !== undefined) found.push({ kind: 'defaultPackage', names: [], value: defaultPackage });

  return found.slice(0, limits.count).map(({ kind, names, value }) => {
    const attrPath = joinAttrPath(kind === 'defaultPackage' ? [kind, system] : [kind, system, ...names]);
    const short = kind === 'defaultPackage' ? '' : joinAttrPath(names);
    // The short fragment names this output only if nothing `nix build` tries first exists.
    const first = installableAttrPaths(short, system).find((p) => p === attrPath || 'value' in (attempt(() => lookup(outputs, p, true)) ?? {}));
    return { attrPath, fragment: first === attrPath ? short : `.${attrPath}`, value };
  });
}
