/**
 * `builtins.match` and `builtins.split`: POSIX extended regular expressions
 * with the results Nix gets from libstdc++ (posixRegex.ts parses a pattern
 * once; JavaScript's RegExp runs it where it gives the same groups, and
 * stdRegex.ts, libstdc++'s own executor, everywhere else). `match` must match
 * the whole string and returns the capture groups (null for a group that did
 * not take part); `split` returns the text between matches interleaved with
 * lists of each match's groups. Results carry no string context, as in Nix.
 *
 * Nix matches bytes: `.` is one byte, and a non-ASCII character in a
 * bracket stands for its bytes. Text with non-ASCII characters or bytes is
 * therefore matched in its one-char-per-byte form (value/bytes.ts
 * `toLatin1`), pattern and subject alike, and the captures are turned back
 * into canonical strings; ASCII text, the common case, is matched as it is.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { NixList, type Lazy, type Value } from '../value/index.js';
import { forceString } from '../value/force.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';
import { compileEre, InvalidRegex, type CompiledEre } from './posixRegex.js';
import { buildNfa, stdMatch, stdMatches, type StdMatch, type StdNfa } from './stdRegex.js';
import { fromLatin1, isAscii, toLatin1 } from '../value/bytes.js';

/** Compiles `re`; `shown` is the pattern as the user wrote it, for the message. */
function compile(re: string, span: Span | undefined, shown = re): CompiledEre {
  try {
    return compileEre(re);
  } catch (e) {
    if (e instanceof InvalidRegex) throw new NixError('eval', `invalid regular expression '${shown}'`, span);
    throw e;
  }
}

/** libstdc++'s automaton of a pattern, made the first time JavaScript cannot stand in. */
const automata = new WeakMap<CompiledEre, StdNfa>();

function automaton(c: CompiledEre): StdNfa {
  let nfa = automata.get(c);
  if (!nfa) {
    nfa = buildNfa(c.ere);
    automata.set(c, nfa);
  }
  return nfa;
}

const same = (s: string) => s;

/**
 * Forces both arguments (the pattern is checked before the subject is forced,
 * as in Nix) and picks the form to match in: as written, or one char per byte.
 */
function prepare(builtin: string, [reArg, sArg]: Lazy[], span: Span | undefined) {
  const re = forceString(reArg, span, argCtx(builtin, 0));
  const plain = compile(re, span);
  const text = forceString(sArg, span, argCtx(builtin, 1));
  if (isAscii(text) && isAscii(re)) return { compiled: plain, s: text, decode: same };
  return { compiled: compile(toLatin1(re), span, re), s: toLatin1(text), decode: fromLatin1 };
}

function jsGroups(m: RegExpExecArray, decode: (s: string) => string): NixList {
  const out: Lazy[] = [];
  for (let i = 1; i < m.length; i++) out.push(m[i] === undefined ? null : decode(m[i]));
  return new NixList(out);
}

function stdGroups(m: StdMatch, s: string, decode: (s: string) => string): NixList {
  const out: Lazy[] = [];
  for (let i = 1; i < m.start.length; i++) out.push(m.start[i] < 0 ? null : decode(s.slice(m.start[i], m.end[i])));
  return new NixList(out);
}

defineBuiltin({
  name: 'match',
  arity: 2,
  doc: 'The capture groups if a POSIX extended regular expression matches the whole string, else null.',
  fn: (args, span): Value => {
    const { compiled, s, decode } = prepare('match', args, span);
    if (compiled.whole) {
      const m = compiled.whole.exec(s);
      return m ? jsGroups(m, decode) : null;
    }
    const m = stdMatch(automaton(compiled), s);
    return m ? stdGroups(m, s, decode) : null;
  },
});

defineBuiltin({
  name: 'split',
  arity: 2,
  doc: 'Splits a string at the matches of a POSIX extended regular expression: [ before [ groups ] between ... after ].',
  fn: (args, span) => {
    const { compiled, s, decode } = prepare('split', args, span);
    const out: Lazy[] = [];
    let last = 0;
    const search = compiled.search;
    if (compiled.splitAgrees) {
      let from = 0;
      while (from <= s.length) {
        search.lastIndex = from;
        const m = search.exec(s);
        if (!m) break;
        out.push(decode(s.slice(last, m.index)));
        out.push(jsGroups(m, decode));
        last = m.index + m[0].length;
        // After an empty match, the next search starts one character later.
        from = m[0].length === 0 ? m.index + 1 : last;
      }
    } else {
      for (const m of stdMatches(automaton(compiled), s, search)) {
        out.push(decode(s.slice(last, m.start[0])));
        out.push(stdGroups(m, s, decode));
        last = m.end[0];
      }
    }
    out.push(decode(s.slice(last)));
    return new NixList(out);
  },
});
