/**
 * String builtins: toString, substring, stringLength, concatStringsSep,
 * replaceStrings, baseNameOf, dirOf.
 *
 * Nix strings are byte strings: lengths and offsets count UTF-8 bytes, so a
 * string with non-ASCII text goes through a Buffer (ASCII text, the common
 * case, is sliced directly). Every result carries the contexts of the strings
 * it was built from.
 */
import { NixError } from '../errors.js';
import { NixPath, type Value } from '../value/index.js';
import { force, forceInt, forceList, forceStringValue } from '../value/force.js';
import {
  StringBuilder, coerceToString, mkString, stringContext, stringText, type StringValue,
} from '../value/string.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';

const ASCII = /^[\x00-\x7f]*$/;

/** UTF-8 byte length of a JS string. */
function byteLength(s: string): number {
  return ASCII.test(s) ? s.length : Buffer.byteLength(s);
}

/** `s.substr(start, len)` in UTF-8 bytes; `len` undefined means "to the end". */
function byteSubstring(s: string, start: number, len: number | undefined): string {
  if (ASCII.test(s)) return len === undefined ? s.slice(start) : s.slice(start, start + len);
  const b = Buffer.from(s);
  if (start >= b.length) return '';
  return b.subarray(start, len === undefined ? b.length : Math.min(b.length, start + len)).toString();
}

defineBuiltin({
  name: 'toString',
  arity: 1,
  global: true,
  doc: 'Converts a value to a string (ints, floats, Booleans, null, lists, paths, sets with __toString or outPath).',
  fn: ([v], span) =>
    coerceToString(v, span, { coerceMore: true, copyToStore: false }, 'while evaluating the first argument passed to builtins.toString'),
});

defineBuiltin({
  name: 'substring',
  arity: 3,
  doc: 'The part of a string from a byte offset with a byte length (a negative length means to the end).',
  fn: ([startArg, lenArg, str], span) => {
    const start = forceInt(startArg, span, 'while evaluating the first argument (the start offset) passed to builtins.substring');
    if (start < 0) throw new NixError('eval', "negative start position in 'substring'", span);
    const len = forceInt(lenArg, span, 'while evaluating the second argument (the substring length) passed to builtins.substring');
    if (len === 0 || len === 0n) {
      // Nix's idiom for taking a string's context alone.
      const x = force(str);
      if (typeof x === 'string') return '';
      if (x !== null && typeof x === 'object' && 'context' in x) return mkString('', x.context);
    }
    const s = coerceToString(str, span, { copyToStore: true }, 'while evaluating the third argument (the string) passed to builtins.substring');
    const text = stringText(s);
    const startN = Number(start);
    const lenN = len < 0 || len > Number.MAX_SAFE_INTEGER ? undefined : Number(len);
    return mkString(byteSubstring(text, startN, lenN), stringContext(s));
  },
});

defineBuiltin({
  name: 'stringLength',
  arity: 1,
  doc: 'The length of a string in bytes (of its UTF-8 text).',
  fn: ([s], span) =>
    byteLength(stringText(coerceToString(s, span, { copyToStore: true }, 'while evaluating the argument passed to builtins.stringLength'))),
});

defineBuiltin({
  name: 'concatStringsSep',
  arity: 2,
  doc: 'Joins a list of strings with a separator.',
  fn: ([sepArg, listArg], span) => {
    const sep = forceStringValue(sepArg, span, 'while evaluating the first argument (the separator string) passed to builtins.concatStringsSep');
    const list = forceList(listArg, span, 'while evaluating the second argument (the list of strings to concat) passed to builtins.concatStringsSep');
    const out = new StringBuilder();
    list.items.forEach((item, i) => {
      if (i > 0) out.add(sep);
      out.add(coerceToString(item, span, { copyToStore: true },
        'while evaluating one element of the list of strings to concat passed to builtins.concatStringsSep'));
    });
    return out.toValue();
  },
});

defineBuiltin({
  name: 'replaceStrings',
  arity: 3,
  doc: 'Replaces, scanning left to right, each occurrence of a string of the first list by the matching string of the second.',
  fn: ([fromArg, toArg, sArg], span) => {
    const from = forceList(fromArg, span, argCtx('replaceStrings', 0));
    const to = forceList(toArg, span, argCtx('replaceStrings', 1));
    if (from.items.length !== to.items.length) {
      throw new NixError('eval', "'from' and 'to' arguments passed to builtins.replaceStrings have different lengths", span);
    }
    const pats = from.items.map((p) =>
      stringText(forceStringValue(p, span, 'while evaluating one of the strings to replace passed to builtins.replaceStrings')));
    // Replacements are forced only when used, once each, as in Nix.
    const reps: (StringValue | undefined)[] = new Array(pats.length);
    const rep = (i: number): StringValue =>
      (reps[i] ??= forceStringValue(to.items[i], span, 'while evaluating one of the replacement strings passed to builtins.replaceStrings'));
    const sv = forceStringValue(sArg, span, argCtx('replaceStrings', 2));
    const s = stringText(sv);
    const out = new StringBuilder();
    out.addContext(stringContext(sv));
    for (let p = 0; p <= s.length; ) {
      let found = false;
      for (let i = 0; i < pats.length; i++) {
        const pat = pats[i];
        if (!s.startsWith(pat, p)) continue;
        found = true;
        out.add(rep(i));
        if (pat === '') {
          if (p < s.length) out.text += s[p];
          p++;
        } else {
          p += pat.length;
        }
        break;
      }
      if (!found) {
        if (p < s.length) out.text += s[p];
        p++;
      }
    }
    return out.toValue();
  },
});

defineBuiltin({
  name: 'baseNameOf',
  arity: 1,
  global: true,
  doc: 'The last component of a path or string, after the last slash (a trailing slash is ignored).',
  fn: ([v], span) => {
    const s = coerceToString(v, span, { copyToStore: false }, 'while evaluating the first argument passed to builtins.baseNameOf');
    let text = stringText(s);
    if (text.endsWith('/')) text = text.slice(0, -1);
    return mkString(text.slice(text.lastIndexOf('/') + 1), stringContext(s));
  },
});

defineBuiltin({
  name: 'dirOf',
  arity: 1,
  global: true,
  doc: 'The directory part of a path (a path) or of a string (a string), up to the last slash.',
  fn: ([v], span): Value => {
    const x = force(v);
    if (x instanceof NixPath) {
      const i = x.path.lastIndexOf('/');
      return new NixPath(i <= 0 ? '/' : x.path.slice(0, i));
    }
    const s = coerceToString(x, span, { copyToStore: false }, "while evaluating the first argument passed to 'builtins.dirOf'");
    const text = stringText(s);
    const i = text.lastIndexOf('/');
    return mkString(i < 0 ? '.' : i === 0 ? '/' : text.slice(0, i), stringContext(s));
  },
});
