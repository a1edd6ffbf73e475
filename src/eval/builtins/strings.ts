/**
 * String builtins: toString, substring, stringLength, concatStringsSep,
 * replaceStrings, baseNameOf, dirOf.
 *
 * Nix strings are byte strings (value/bytes.ts): lengths and offsets count
 * bytes, and replaceStrings matches bytes, so a string with non-ASCII text is
 * handled in its one-character-per-byte form (ASCII text, the common case,
 * is used directly). Every result carries the contexts of the strings it was
 * built from.
 */
import { NixError } from '../errors.js';
import { NixList, NixPath, type Value } from '../value/index.js';
import { force, forceInt, forceList, forceStringValue } from '../value/force.js';
import {
  StringBuilder, coerceToString, mkString, stringContext, stringText, type StringValue,
} from '../value/string.js';
import { byteLength, fromLatin1, isAscii, sliceBytes, toLatin1 } from '../value/bytes.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';

defineBuiltin({
  name: 'toString',
  arity: 1,
  global: true,
  doc: 'Converts a value to a string (ints, floats, Booleans, null, lists, paths, sets with __toString or outPath).',
  fn1: (v, span) =>
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
    const end = len < 0 || len > Number.MAX_SAFE_INTEGER ? Infinity : startN + Number(len);
    return mkString(sliceBytes(text, startN, end), stringContext(s));
  },
});

defineBuiltin({
  name: 'stringLength',
  arity: 1,
  doc: 'The length of a string in bytes (of its UTF-8 text).',
  fn1: (s, span) =>
    byteLength(stringText(coerceToString(s, span, { copyToStore: true }, 'while evaluating the argument passed to builtins.stringLength'))),
});

defineBuiltin({
  name: 'concatStringsSep',
  arity: 2,
  doc: 'Joins a list of strings with a separator.',
  fn2: (sepArg, listArg, span) => {
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
    // Matching is by bytes ("" matches between bytes): non-ASCII text is matched one character per byte.
    const bytes = !isAscii(stringText(sv));
    const s = bytes ? toLatin1(stringText(sv)) : stringText(sv);
    const keys = bytes ? pats.map(toLatin1) : pats;
    const out = new StringBuilder();
    out.addContext(stringContext(sv));
    const copy = (from: number, to: number) => {
      if (to > from) out.append(bytes ? fromLatin1(s.slice(from, to)) : s.slice(from, to));
    };
    let copied = 0;
    const search = bytes ? undefined : searchFor(from, keys);
    if (search !== undefined) {
      search.lastIndex = 0;
      for (let m = search.exec(s); m !== null; m = search.exec(s)) {
        copy(copied, m.index);
        out.add(rep(keys.indexOf(m[0])));
        copied = search.lastIndex;
      }
      copy(copied, s.length);
      return out.toValue();
    }
    for (let p = 0; p <= s.length; ) {
      let found = -1;
      for (let i = 0; i < keys.length; i++) {
        if (s.startsWith(keys[i], p)) { found = i; break; }
      }
      if (found < 0) { p++; continue; }
      copy(copied, p);
      out.add(rep(found));
      if (keys[found] === '') {
        // After an empty match, the byte there is kept and matching goes on after it.
        copy(p, p + 1);
        p++;
      } else {
        p += keys[found].length;
      }
      copied = Math.min(p, s.length);
    }
    copy(copied, s.length);
    return out.toValue();
  },
});

/**
 * For `from` lists without "": one regular expression that finds, from left
 * to right, where one of the strings starts, trying them in their order at
 * each position as the scan of replaceStrings does (the first string listed
 * wins, so the matched text's first index in the list is the one that
 * matched). Made once per list: lib calls replaceStrings with the same lists
 * (escapeRegex, escapeShellArg), and a scan in JavaScript at each position
 * costs much more until the engine has optimised it.
 */
function searchFor(from: NixList, keys: readonly string[]): RegExp | undefined {
  let re = searches.get(from);
  if (re === undefined) {
    if (keys.length === 0 || keys.includes('')) return undefined;
    re = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');
    searches.set(from, re);
  }
  return re;
}

const searches = new WeakMap<NixList, RegExp>();

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
