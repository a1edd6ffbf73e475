/**
 * The short, non-forcing rendering of a value inside error messages, as
 * current Nix's `ValuePrinter` with its error options writes it: at most 10
 * levels, 10 attributes and 10 list items in total, strings cut at 1024 bytes,
 * unevaluated parts as «thunk», functions as «lambda f @ file:line:col» or
 * «primop map». It never forces anything: a message must not fail.
 */
import { formatPos } from '../span.js';
import {
  type Lazy, Thunk, NixFloat, NixString, NixPath, NixList, NixAttrs, Lambda, PrimOp, PrimOpApp, isForeign,
} from './index.js';
import { formatFloat } from './float.js';
import { printIdentifier, printString } from '../syntax/print.js';
import { byteLength, sliceBytes } from './bytes.js';

const MAX_DEPTH = 10;
const MAX_ITEMS = 10;
const MAX_STRING = 1024;

/** Escapes a string as Nix writes string literals. */
export function quoteString(s: string, maxLength = Infinity): string {
  let body = s;
  let elided = '';
  // A character is at most three bytes per UTF-16 unit.
  if (3 * s.length > maxLength) {
    const bytes = byteLength(s);
    if (bytes > maxLength) {
      body = sliceBytes(s, 0, maxLength);
      elided = `«${bytes - maxLength} byte${bytes - maxLength === 1 ? '' : 's'} elided»`;
    }
  }
  return printString(body) + elided;
}


export function functionPreview(v: Lambda | PrimOp | PrimOpApp): string {
  if (v instanceof PrimOp) return `«primop ${v.name}»`;
  if (v instanceof PrimOpApp) return `«partially applied primop ${v.op.name}»`;
  const name = v.expr.name ? ` ${v.expr.name}` : '';
  return `«lambda${name} @ ${formatPos(v.expr.span)}»`;
}

/** The value as an error message shows it. */
export function previewValue(v: Lazy): string {
  const state = { items: 0, attrs: 0 };
  return preview(v, 0, state);
}

function preview(v: Lazy, depth: number, st: { items: number; attrs: number }): string {
  if (v instanceof Thunk) {
    if (v.value === undefined) return v.forcing ? '«potential infinite recursion»' : '«thunk»';
    v = v.value;
  }
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'number': case 'bigint': return String(v);
    case 'string': return quoteString(v, MAX_STRING);
  }
  if (v instanceof NixString) return quoteString(v.s, MAX_STRING);
  if (v instanceof NixFloat) return formatFloat(v.value);
  if (v instanceof NixPath) return v.path;
  if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) return functionPreview(v);
  if (v instanceof NixList) {
    if (depth >= MAX_DEPTH) return '[ ... ]';
    let out = '[';
    let printed = 0;
    for (const e of v.items) {
      if (st.items >= MAX_ITEMS) {
        const n = v.items.length - printed;
        out += ` «${n} item${n === 1 ? '' : 's'} elided»`;
        break;
      }
      out += ' ' + preview(e, depth + 1, st);
      st.items++;
      printed++;
    }
    return out + ' ]';
  }
  if (v instanceof NixAttrs) {
    if (depth >= MAX_DEPTH) return '{ ... }';
    let out = '{';
    let printed = 0;
    const names = v.sortedNames();
    for (const name of names) {
      if (st.attrs >= MAX_ITEMS) {
        const n = names.length - printed;
        out += ` «${n} attribute${n === 1 ? '' : 's'} elided»`;
        break;
      }
      out += ` ${printIdentifier(name)} = ${preview(v.map.get(name)!, depth + 1, st)};`;
      st.attrs++;
      printed++;
    }
    return out + ' }';
  }
  if (isForeign(v)) return `«${v.describe()}»`;
  return '«unknown»';
}
