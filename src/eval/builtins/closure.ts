/**
 * `builtins.genericClosure`: the closure of a start set under an operator,
 * deduplicated by each element's `key`, in discovery order. nixpkgs computes
 * dependency closures with it, so it must be a loop (no recursion) with a
 * fast key lookup; keys compare as `<` / `==` do, so keys of types that cannot
 * be compared are Nix's "cannot compare" error.
 */
import { NixFloat, NixList, NixString, NixPath, type Lazy, type Value } from '../value/index.js';
import { force, forceAttrs, forceFunction, forceList } from '../value/force.js';
import { callFunction } from '../value/call.js';
import { getAttr } from '../value/attrs.js';
import { lessThan, valuesEqual } from '../value/compare.js';
import { previewValue } from '../value/preview.js';
import { NixError } from '../errors.js';
import { defineBuiltin } from './registry.js';

/** A map key for keys that compare by value cheaply; undefined for lists and others. */
function simpleKey(v: Value): string | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return 'n' + String(v);
  if (v instanceof NixFloat) return Number.isInteger(v.value) && Math.abs(v.value) < 2 ** 53 ? 'n' + String(v.value) : 'f' + String(v.value);
  if (typeof v === 'string') return 's' + v;
  if (v instanceof NixString) return 's' + v.s;
  if (v instanceof NixPath) return 'p' + v.path;
  return undefined;
}

function kindOf(v: Value): string {
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof NixFloat) return 'number';
  if (typeof v === 'string' || v instanceof NixString) return 'string';
  if (v instanceof NixPath) return 'path';
  if (v instanceof NixList) return 'list';
  return 'other';
}

defineBuiltin({
  name: 'genericClosure',
  arity: 1,
  doc: 'The closure of { startSet; operator; } under operator, unique by the elements\' `key` attribute.',
  fn: ([arg], span) => {
    const args = forceAttrs(arg, span, 'while evaluating the first argument passed to builtins.genericClosure');
    const start = forceList(getAttr(args, 'startSet', span, 'in the attrset passed as argument to builtins.genericClosure'),
      span, "while evaluating the 'startSet' attribute passed as argument to builtins.genericClosure");
    if (start.items.length === 0) return start;
    const op = getAttr(args, 'operator', span, 'in the attrset passed as argument to builtins.genericClosure');
    forceFunction(op, span, "while evaluating the 'operator' attribute passed as argument to builtins.genericClosure");

    const work: Lazy[] = [...start.items];
    const result: Lazy[] = [];
    const seen = new Set<string>();
    const otherKeys: Value[] = [];
    let firstKey: Value | undefined;
    for (let w = 0; w < work.length; w++) {
      const e = work[w];
      let key: Value;
      try {
        key = force(getAttr(forceAttrs(e, span), 'key', span));
      } catch (err) {
        if (err instanceof NixError) err.addTrace(`in genericClosure element ${previewValue(e)}`);
        throw err;
      }
      if (firstKey === undefined) firstKey = key;
      else if (kindOf(firstKey) !== kindOf(key) || kindOf(key) === 'other') {
        // Nix keeps keys in an ordered set: comparing incomparable keys fails.
        try {
          lessThan(key, firstKey, span);
        } catch (err) {
          if (err instanceof NixError) err.addTrace(`while comparing element ${previewValue(e)}`);
          throw err;
        }
      }
      const sk = simpleKey(key);
      if (sk !== undefined) {
        if (seen.has(sk)) continue;
        seen.add(sk);
      } else {
        if (otherKeys.some((k) => valuesEqual(k, key, span))) continue;
        otherKeys.push(key);
      }
      result.push(e);
      const next = forceList(callFunction(op, [e], span), span,
        "while evaluating the return value of the `operator` passed to builtins.genericClosure");
      for (const x of next.items) work.push(x);
    }
    return new NixList(result);
  },
});
