/**
 * What `nix eval FLAKE#attr` prints: the value in full, except that a
 * derivation is `«derivation /nix/store/...drv»` (current Nix's printer), and
 * with `--json` its output path, as toJSON gives it. A package of nixpkgs is
 * a value Nix computes (a foreign value of the bridge): its paths are asked of
 * Nix as data, without building anything.
 */
import { NixError } from '../eval/errors.js';
import type { Evaluator } from '../eval/index.js';
import { type Foreign, type Lazy, type Value, NixAttrs, NixList, NixString, isForeign } from '../eval/value/index.js';
import { force } from '../eval/value/force.js';

/** Stands for a derivation in the printed value: the printer shows a foreign value it cannot read as `«describe()»`. */
function derivationMark(drvPath: string): Foreign {
  return {
    foreign: true,
    id: -1,
    describe: () => `derivation ${drvPath}`,
    select: () => undefined,
    hasAttr: () => undefined,
    apply: () => { throw new NixError('eval', 'internal: a printed derivation was applied'); },
    coerceToString: () => new NixString(drvPath, new Set()),
  };
}

/** The text of `v.<name>` as Nix computes it (a real store path, not a placeholder). */
function pathAttr(v: Value, name: 'drvPath' | 'outPath'): string {
  let x = force((v instanceof NixAttrs ? v.get(name) : isForeign(v) ? v.select(name, undefined) : undefined) ?? null);
  if (isForeign(x)) x = x.materialize?.(undefined) ?? x;
  if (typeof x === 'string') return x;
  if (x instanceof NixString) return x.s;
  throw new NixError('eval', `the derivation's ${name} is not a string`);
}

function isNativeDerivation(v: NixAttrs): boolean {
  const t = v.get('type');
  return t !== undefined && force(t) === 'derivation';
}

/** The value with every derivation replaced by what `nix eval` shows of it; shared parts stay shared. */
function prepare(v: Lazy, json: boolean, done: Map<object, Value>): Value {
  let x = force(v);
  if (x !== null && typeof x === 'object' && done.has(x)) return done.get(x)!;
  const key = x as object;
  if (isForeign(x)) {
    const data = x.materialize?.(undefined) ?? x;
    // The bridge keeps a derivation foreign when it reads a value back; anything else is data.
    if (isForeign(data)) {
      const out: Value = json ? pathAttr(x, 'outPath') : derivationMark(pathAttr(x, 'drvPath'));
      done.set(key, out);
      return out;
    }
    x = data;
  }
  if (x instanceof NixAttrs) {
    if (isNativeDerivation(x)) {
      const out: Value = json ? pathAttr(x, 'outPath') : derivationMark(pathAttr(x, 'drvPath'));
      done.set(key, out);
      return out;
    }
    const m = new Map<string, Lazy>();
    const out = new NixAttrs(m);
    done.set(key, out);
    for (const name of x.sortedNames()) m.set(name, prepare(x.get(name)!, json, done));
    return out;
  }
  if (x instanceof NixList) {
    const items: Lazy[] = [];
    const out = new NixList(items);
    done.set(key, out);
    for (const item of x.items) items.push(prepare(item, json, done));
    return out;
  }
  return x;
}

/** `nix eval` output of `v` (without the final newline), as text or as JSON. */
export function nixEvalOutput(ev: Evaluator, v: Lazy, json: boolean): string {
  // Forced through the evaluator first, so that its errors (and stack depth) are the evaluator's.
  const prepared = prepare(ev.force(v), json, new Map());
  return json ? ev.toJSON(prepared) : ev.printValue(prepared, { strict: true });
}
