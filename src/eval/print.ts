/**
 * The printed form of `nix-instantiate --eval` (Nix's printAmbiguous):
 * `{ a = 1; b = [ 1 2 ]; }`, strings escaped, names quoted unless identifiers,
 * floats as C++ streams write them, functions as `<LAMBDA>`, `<PRIMOP>`,
 * `<PRIMOP-APP>`, parts not evaluated (without --strict) as `<CODE>`, and a
 * non-empty set or list met a second time anywhere as `«repeated»`.
 * Printing never forces: `--strict` forces deeply before printing.
 *
 * A value only real Nix computes (a foreign value of the bridge: a package of
 * nixpkgs, a derivation) is printed by Nix (the `printForeign` hook),
 * `--strict` or not as the rest: only Nix knows what of it is evaluated, and
 * a derivation prints in full, each of its attributes, with its real store
 * paths. All of them are printed in one Nix process, so that a set of Nix's
 * printed twice is «repeated» as in Nix.
 */
import {
  type Foreign, type Lazy, Thunk, NixFloat, NixString, NixPath, NixList, NixAttrs, Lambda, PrimOp, PrimOpApp, isForeign,
} from './value/index.js';
import { formatFloat } from './value/float.js';
import { quoteString } from './value/preview.js';
import { printIdentifier } from './syntax/print.js';
import { hooks } from './value/hooks.js';

export function printValue(v: Lazy, strict = false): string {
  const out: string[] = [];
  const foreign: Foreign[] = [];
  const foreignAt: number[] = [];
  print(v, out, new Set(), undefined, { foreign, foreignAt });
  if (foreign.length) {
    const texts = hooks.printForeign(foreign, strict);
    foreignAt.forEach((at, i) => { out[at] = texts[i]; });
  }
  return out.join('');
}

/** The foreign values met, in printing order, and where their text goes in the output. */
interface ForeignParts {
  readonly foreign: Foreign[];
  readonly foreignAt: number[];
}

/**
 * `slot` is the identity Nix's printer sees for a list: the Value cell holding
 * it (a thunk of ours), not the list itself; for sets it is the set's
 * bindings (the set itself). `let x = [ x ]; in x` thus prints as
 * `[ [ «repeated» ] ]`, as in Nix. The top-level value is a copy in Nix, so it
 * has no identity of its own.
 */
function print(v: Lazy, out: string[], seen: Set<object>, slot: object | undefined, parts: ForeignParts): void {
  if (v instanceof Thunk) {
    if (v.value === undefined) {
      out.push(v.forcing ? '«potential infinite recursion»' : '<CODE>');
      return;
    }
    v = v.value;
  }
  if (v === null) { out.push('null'); return; }
  switch (typeof v) {
    case 'boolean': out.push(v ? 'true' : 'false'); return;
    case 'number': case 'bigint': out.push(String(v)); return;
    case 'string': out.push(quoteString(v)); return;
  }
  if (v instanceof NixString) { out.push(quoteString(v.s)); return; }
  if (v instanceof NixFloat) { out.push(formatFloat(v.value)); return; }
  if (v instanceof NixPath) { out.push(v.path); return; }
  if (v instanceof Lambda) { out.push('<LAMBDA>'); return; }
  if (v instanceof PrimOp) { out.push('<PRIMOP>'); return; }
  if (v instanceof PrimOpApp) { out.push('<PRIMOP-APP>'); return; }
  if (v instanceof NixAttrs) {
    if (v.size && seen.has(v)) { out.push('«repeated»'); return; }
    seen.add(v);
    out.push('{ ');
    for (const name of v.sortedNames()) {
      out.push(printIdentifier(name), ' = ');
      const item = v.map.get(name)!;
      print(item, out, seen, item as object, parts);
      out.push('; ');
    }
    out.push('}');
    return;
  }
  if (v instanceof NixList) {
    const key = slot ?? {};
    if (v.items.length && seen.has(key)) { out.push('«repeated»'); return; }
    seen.add(key);
    out.push('[ ');
    for (const item of v.items) {
      print(item, out, seen, item as object, parts);
      out.push(' ');
    }
    out.push(']');
    return;
  }
  if (isForeign(v)) {
    // Printed by Nix, all of them at once when the rest is done.
    parts.foreign.push(v);
    parts.foreignAt.push(out.length);
    out.push('');
    return;
  }
  out.push('«unknown»');
}
