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

function lookup(root: Value, attrPath: string): Found {
  let v: Value = root;
  for (const name of attrPath === '' ? [] : parseAttrPath(attrPath)) {
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
