/**
 * Strings with contexts, and coercion to strings with Nix's rules.
 *
 * A string value is a JS `string` (empty context) or a `NixString`. Every
 * operation that builds a string from others must carry the union of their
 * contexts: `StringBuilder` is the one place that does it.
 *
 * Coercion (`coerceToString`) has two strengths, as in Nix:
 * - interpolation and `+`: strings, paths (copied to the store when
 *   `copyToStore`), sets with `__toString` or `outPath`, foreign values;
 * - `coerceMore` (toString, builtins that take "string-like" values): also
 *   ints, floats (`%f`: "1.500000"), true → "1", false/null → "", and lists
 *   (elements joined by spaces, with Nix's quirk for empty sub-lists).
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import {
  type Lazy, type Value, type Context, NixString, NixPath, NixList, NixAttrs, NixFloat, isForeign,
} from './index.js';
import { force } from './force.js';
import { floatToString } from './float.js';
import { showType } from './types.js';
import { previewValue } from './preview.js';
import { hooks } from './hooks.js';
import { callFunction } from './call.js';
import { concatBytes } from './bytes.js';

export type StringValue = string | NixString;

export const emptyContext: Context = new Set();

export function mkString(s: string, context?: ReadonlySet<string>): StringValue {
  return context && context.size ? new NixString(s, context) : s;
}

export function stringText(v: StringValue): string {
  return typeof v === 'string' ? v : v.s;
}

export function stringContext(v: StringValue): Context {
  return typeof v === 'string' ? emptyContext : v.context;
}

export function isString(v: Value): v is StringValue {
  return typeof v === 'string' || v instanceof NixString;
}

/**
 * Accumulates text and context; `toValue()` gives a plain string when no
 * context was added. Text is joined with `concatBytes`, so that the result
 * is canonical when escaped bytes meet (bytes.ts).
 */
export class StringBuilder {
  text = '';
  context: Set<string> | undefined;

  add(v: StringValue): void {
    if (typeof v === 'string') {
      this.text = concatBytes(this.text, v);
    } else {
      this.text = concatBytes(this.text, v.s);
      this.addContext(v.context);
    }
  }

  /** Appends text without context. */
  append(text: string): void {
    this.text = concatBytes(this.text, text);
  }

  addContext(c: Context): void {
    if (c.size === 0) return;
    this.context ??= new Set();
    for (const e of c) this.context.add(e);
  }

  toValue(): StringValue {
    return mkString(this.text, this.context);
  }
}

export interface CoerceOptions {
  /** toString's extra conversions (ints, floats, bools, null, lists). */
  readonly coerceMore?: boolean;
  /** Paths become store paths (interpolation); otherwise their text. */
  readonly copyToStore?: boolean;
}

/** Coerces a value to a string, appending to `out`; errors carry `ctx` as a trace frame. */
export function coerceInto(
  out: StringBuilder, v: Lazy, span: Span | undefined, opts: CoerceOptions, ctx?: string,
): void {
  const x = force(v);
  if (typeof x === 'string') { out.append(x); return; }
  if (x instanceof NixString) { out.add(x); return; }
  if (x instanceof NixPath) {
    if (opts.copyToStore) {
      const storePath = hooks.copyPathToStore(x.path, span);
      out.append(storePath);
      out.addContext(new Set([storePath]));
    } else {
      out.append(x.path);
    }
    return;
  }
  if (x instanceof NixAttrs) {
    const toStr = x.get('__toString');
    if (toStr !== undefined) {
      const r = callFunction(toStr, [x], span);
      coerceInto(out, r, span, opts, ctx);
      return;
    }
    const outPath = x.get('outPath');
    if (outPath !== undefined) {
      coerceInto(out, outPath, span, opts, ctx);
      return;
    }
  } else if (isForeign(x)) {
    out.add(x.coerceToString(span, opts));
    return;
  } else if (opts.coerceMore) {
    if (x === true) { out.text += '1'; return; }
    if (x === false || x === null) return;
    if (typeof x === 'number' || typeof x === 'bigint') { out.text += String(x); return; }
    if (x instanceof NixFloat) { out.text += floatToString(x.value); return; }
    if (x instanceof NixList) {
      const items = x.items;
      for (let i = 0; i < items.length; i++) {
        try {
          coerceInto(out, items[i], span, opts, 'while evaluating one element of the list');
        } catch (e) {
          if (e instanceof NixError && ctx) e.addTrace(ctx, span);
          throw e;
        }
        if (i < items.length - 1) {
          const item = force(items[i]);
          if (!(item instanceof NixList) || item.items.length !== 0) out.text += ' ';
        }
      }
      return;
    }
  }
  const e = new NixError('eval', `cannot coerce ${showType(x)} to a string: ${previewValue(x)}`, span);
  if (ctx) e.addTrace(ctx, span);
  throw e;
}

/** Coerces one value to a string value (text and context). */
export function coerceToString(v: Lazy, span: Span | undefined, opts: CoerceOptions = {}, ctx?: string): StringValue {
  const x = force(v);
  if (typeof x === 'string' || x instanceof NixString) return x;
  const b = new StringBuilder();
  coerceInto(b, x, span, opts, ctx);
  return b.toValue();
}

/**
 * Coerces to an absolute path string, as builtins taking paths do (readFile,
 * pathExists): a path as is, or a string that must start with '/'.
 */
export function coerceToPath(v: Lazy, span: Span | undefined, ctx?: string): { path: string; context: Context } {
  const x = force(v);
  if (x instanceof NixPath) return { path: x.path, context: emptyContext };
  const s = coerceToString(x, span, {}, ctx);
  const text = stringText(s);
  if (!text.startsWith('/')) {
    const e = new NixError('eval', `string '${text}' doesn't represent an absolute path`, span);
    if (ctx) e.addTrace(ctx, span);
    throw e;
  }
  return { path: text, context: stringContext(s) };
}
