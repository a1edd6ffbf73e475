/**
 * `builtins.toJSON` and `builtins.fromJSON`.
 *
 * toJSON follows Nix's peeling of sets: a set with `__toString` becomes the
 * string it returns, a set with `outPath` becomes (the JSON of) its outPath,
 * other sets become objects with sorted keys. Paths are copied to the store
 * (the bridge's hook) unless they came out of a `__toString`. The contexts of
 * every string written are collected into the result's context. Strings that
 * are not UTF-8 are refused, as current Nix does (Nix 2.8 wrote their bytes). A structure
 * nested too deeply for the JS stack is Nix's "stack overflow" error.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { NixAttrs, NixFloat, NixList, NixPath, NixString, type Lazy, type Value, isForeign } from '../value/index.js';
import { force, forceMaterialized, forceString, stackOverflow } from '../value/force.js';
import { evalSettings } from '../settings.js';
import { jsStackOverflow } from '../stack.js';
import { callFunction } from '../value/call.js';
import { mkString } from '../value/string.js';
import { hooks } from '../value/hooks.js';
import { previewValue } from '../value/preview.js';
import { showType } from '../value/types.js';
import { defineBuiltin } from './registry.js';
import { JsonError, jsonFloat, jsonString, parseJson, utf8Refusal } from './jsonText.js';

/** Follows `__toString` and `outPath` as Nix's toJSON does; returns the value to write. */
function peel(v: Value, span: Span | undefined): { v: Value; viaToString: boolean } {
  let viaToString = false;
  for (;;) {
    if (!(v instanceof NixAttrs)) {
      if (viaToString && typeof v !== 'string' && !(v instanceof NixString) && !(v instanceof NixPath)) {
        throw new NixError('eval', `\`__toString\` should return a string, but got ${showType(v)}: ${previewValue(v)}`, span);
      }
      return { v, viaToString };
    }
    const toStr = v.get('__toString');
    if (toStr !== undefined) {
      v = callFunction(toStr, [v], span);
      viaToString = true;
      continue;
    }
    const outPath = v.get('outPath');
    if (outPath !== undefined) {
      v = force(outPath);
      continue;
    }
    if (viaToString) {
      throw new NixError('eval', `\`__toString\` must return a string, but got a set: ${previewValue(v)}`, span);
    }
    return { v, viaToString };
  }
}


/**
 * What `write` carries down: the contexts met, and the first string nlohmann
 * would refuse to write. Nix builds the whole JSON value before writing it,
 * so evaluation errors anywhere come first; the refusal is reported at the end.
 */
interface Writing {
  readonly context: Set<string>;
  refusal?: string;
}

/** A string, checked for what JSON can hold. */
function checked(s: string, w: Writing): string {
  w.refusal ??= utf8Refusal(s);
  return jsonString(s);
}

function write(x: Lazy, span: Span | undefined, w: Writing, copyToStore: boolean, out: string[], depth: number): void {
  if (depth > evalSettings.maxCallDepth) throw stackOverflow(span);
  // A value Nix computes is written as its data (`pkgs.hello.meta`); a derivation stays itself: its path.
  let v = forceMaterialized(x);
  if (v instanceof NixAttrs) {
    const peeled = peel(v, span);
    v = peeled.v;
    if (peeled.viaToString) copyToStore = false;
  }
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(String(v));
  else if (typeof v === 'string') out.push(checked(v, w));
  else if (v instanceof NixString) {
    for (const c of v.context) w.context.add(c);
    out.push(checked(v.s, w));
  } else if (v instanceof NixFloat) out.push(jsonFloat(v.value));
  else if (v instanceof NixPath) {
    if (!copyToStore) {
      out.push(checked(v.path, w));
    } else {
      const storePath = hooks.copyPathToStore(v.path, span);
      w.context.add(storePath);
      out.push(jsonString(storePath));
    }
  } else if (v instanceof NixList) {
    out.push('[');
    v.items.forEach((item, i) => {
      if (i > 0) out.push(',');
      try {
        write(item, span, w, copyToStore, out, depth + 1);
      } catch (e) {
        if (e instanceof NixError) e.addTrace(`while evaluating list element at index ${i}`, span);
        throw e;
      }
    });
    out.push(']');
  } else if (v instanceof NixAttrs) {
    out.push('{');
    const set = v;
    set.sortedNames().forEach((name, i) => {
      if (i > 0) out.push(',');
      out.push(checked(name, w), ':');
      try {
        write(set.get(name)!, span, w, copyToStore, out, depth + 1);
      } catch (e) {
        if (e instanceof NixError) e.addTrace(`while evaluating attribute '${name}'`, set.positions?.get(name) ?? span);
        throw e;
      }
    });
    out.push('}');
  } else if (isForeign(v)) {
    const s = v.coerceToString(span);
    for (const c of s.context) w.context.add(c);
    out.push(checked(s.s, w));
  } else {
    throw new NixError('eval', `cannot convert ${showType(v)} to JSON`, span);
  }
}

/**
 * Nix's JSON text of a value, forcing it deeply; string contexts met on the
 * way are added to `context`. Also what `--json` output uses.
 */
export function valueToJSON(v: Lazy, span: Span | undefined, context: Set<string>, copyToStore = true): string {
  const out: string[] = [];
  const w: Writing = { context };
  try {
    write(v, span, w, copyToStore, out, 0);
    if (w.refusal !== undefined) throw new NixError('eval', `JSON serialization error: ${w.refusal}`, span);
    return out.join('');
  } catch (e) {
    if (e instanceof RangeError) throw jsStackOverflow(span);
    throw e;
  }
}

defineBuiltin({
  name: 'toJSON',
  arity: 1,
  doc: 'The JSON text of a value (sets with sorted keys; paths copied to the store).',
  fn: ([v], span) => {
    const context = new Set<string>();
    const text = valueToJSON(v, span, context);
    return mkString(text, context);
  },
});

defineBuiltin({
  name: 'fromJSON',
  arity: 1,
  doc: 'The Nix value of a JSON text (integers stay ints, other numbers are floats).',
  fn: ([s], span) => {
    const text = forceString(s, span, 'while evaluating the first argument passed to builtins.fromJSON');
    try {
      return parseJson(text);
    } catch (e) {
      if (e instanceof JsonError) throw new NixError('eval', e.message, span);
      throw e;
    }
  },
});
