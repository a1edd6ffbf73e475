/**
 * builtins.match and builtins.split against real Nix (libstdc++'s
 * std::regex, POSIX extended): the syntax (classes, brackets with literal
 * backslashes and leading `]`, signed byte ranges, collating names,
 * intervals, stacked quantifiers, escapes, anchors, invalid patterns), and
 * the groups libstdc++ reports, which differ from both POSIX and JavaScript
 * for alternations and repeated groups (issue 14). Every pattern of a list is
 * tried on every subject of a list, all in one batch of nix-instantiate; a
 * seeded generator adds random patterns. Also checked without Nix: where
 * tsportable lets JavaScript's RegExp stand in for libstdc++'s executor
 * (posixRegex.ts `jsAgrees`), both give the same results.
 */
import { compileEre, jsAgrees, parseEre, translateEre, InvalidRegex } from '../../src/eval/builtins/posixRegex.js';
import { buildNfa, stdMatch, stdMatches } from '../../src/eval/builtins/stdRegex.js';
import { nixJsonBatch, nixErrors } from './nixOracle.js';
import { tsError, tsJson } from './tsEval.js';

/** A Nix string literal; its lone surrogates stay bytes (not JSON's `\udce9`). */
const nixStr = (s: string) => `"${s.replace(/[\\"$]/g, '\\$&').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
const matchExpr = (re: string, s: string) => `builtins.match ${nixStr(re)} ${nixStr(s)}`;
const splitExpr = (re: string, s: string) => `builtins.split ${nixStr(re)} ${nixStr(s)}`;

/** Syntax: each pattern with a subject chosen for it. */
const MATCH_CASES: Array<[string, string]> = [
  ['[[:space:]]*([a-z]+)[[:space:]]*', '  hello  '],
  ['[[:alpha:]][[:alnum:]+.-]*', 'c++'],
  ['[[:alpha:]][[:alnum:]+.-]*', '9abc'],
  ['([^.]*)\\.(.*)', 'foo.bar.baz'],
  ['(a|b)*c', 'ababc'],
  ['(a)|b', 'b'],
  ['[]a]+', ']a]'],
  ['[^]a]+', 'xyz'],
  ['[\\]+', '\\\\'],
  ['a{2,3}', 'aaa'],
  ['a{2,3}', 'aaaa'],
  ['a{2}b{1,}', 'aabbb'],
  ['\\.\\*\\[', '.*['],
  ['.*', 'multi\nline'],
  ['(x)?y', 'y'],
  ['([0-9]+)-([0-9]+)', '10-20'],
  ['[[:upper:]][[:lower:]]+', 'Hello'],
  ['[[:digit:][:punct:]]+', '1.2,3!'],
  ['[[:xdigit:]]+', 'DEADbeef'],
  ['a+?', 'aaa'],
  ['(ab|a)(bc|c)', 'abc'],
  ['^a$', 'a'],
  ['foo|bar', 'bar'],
  ['[a-c-]+', 'a-b-c'],
  ['a**', 'aa'],
  ['\\[\\{\\(\\)\\|', '[{()|'],
  ['[.]', '.'],
  ['x*', ''],
  ['(|a)b', 'b'],
  ['[[:ALPHA:]]+', 'aZ'],
  ['[[.space.]][[.hyphen.]][[.a.]-c]', ' -b'],
  ['[[=a=]]+', 'aAa'],
  ['[--a]+', '-.^a'],
  ['[!--]+', '!,-'],
  ['[]-a]+', ']^_a'],
  ['a||b', ''],
  ['(|)', ''],
  ['x{0}y', 'y'],
  ['(a){0}b', 'b'],
  ['a{1}{2}', 'aa'],
  [']}', ']}'],
  ['[[:w:]]+[[:s:]][[:d:]]', 'a_1 2'],
];

const SPLIT_CASES: Array<[string, string]> = [
  ['(a)|b', 'xaybz'],
  [',', 'a,b,,c'],
  ['[[:space:]]+', ' a  b '],
  ['(x*)', 'abc'],
  ['', 'ab'],
  ['(.)', 'ab'],
  ['^a', 'aaa'],
  ['a*$', 'baaa'],
  ['^|a', 'bab'],
  ['b*', 'abba'],
];

/** Patterns libstdc++ refuses. */
const INVALID = [
  '(.*', 'f(o*o', '*a', 'a{2', 'a{3,2}', '[[:nope:]]', '[z-a]', 'a)', '[abc', '\\d', '\\n', '\\]', '\\}',
  '[[:word:]]', '[[.0.]]', '[[.-.]]', '[a-c-e]', '[[:alpha:]-z]', '^*', 'a|*b', '(*a)', '[a-[.z.]]', 'a{,2}',
  'a{1,2,3}', '$*', '[[=a=]-c]', '[]', '[^]', '[[:alpha:', '[[.a', '[[=a=', '{1}', '(?:a)',
  // Ranges compare signed bytes: E9 is below "a".
  '[a-\udce9]', '[ -\udcff]',
];

/**
 * Groups in repetitions and alternations, anchors, empty alternatives and
 * brackets, each tried on every subject below. The first is issue 14's.
 */
const PATTERNS = [
  '(^(b.*|(a|)|b*)*)', 'a|ab', 'ab|a', '(a|ab)(c|bcd)(d*)', '(a|b)*', '(a*)|(b*)', 'x*|b', '(|a)+', '(a|)+',
  '((a)|b)*', '((a)|b)+', '(a*)*', '(a*)+', '(a?)*', '(()|a)*', '(a|b|c)*c', '(ab|a)(bc|c)?', '((a|b)c)*', '^(a|b)$',
  '(a)|(b)', '(a+|b+)*', '([ab]*)(b*)', '(a{0,2})*', '(a{1,2}){2}', '(a|b){2,3}', '(x)?y', '(x*)?y', '(^a|b)*',
  '(a$|b)*', '()*', '(()*)*', '(a|())*', '([[:alpha:]]+|[0-9]+)*', '(.*)(.*)', '(.*)?', '(a|b)*(b)', '((a*)b)*',
  '(a(b)?)+', '(a|b(c)?)*d?', '(b|a)*?', '(a{2}|b)*', '([^b]|b)*', '(.)*', '(aa|a)*', '(a|aa)*', '(a*)(a|b)*',
  '(a*|b)*', '(b*|a*)*', 'a*(a|b)', '(ab|ba)*', '(a)*(a)', '((b)|(a))*',
];

const SUBJECTS = ['', 'a', 'b', 'ab', 'ba', 'aa', 'abc', 'abcd', 'aab', 'bab', 'abb', '*f', 'aaa', 'abab', 'xy', 'y', 'cab', 'bcd'];

/** A small seeded generator (mulberry32), so that the random patterns are the same in every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random EREs over {a, b}: groups, alternations, every quantifier, anchors, brackets. */
function randomPatterns(count: number): string[] {
  const r = random(14);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const gen = (depth: number): string => {
    const roll = r();
    if (depth > 2 || roll < 0.35) return pick(['a', 'b', '.', '[ab]', '[^a]', '', '^', '$']);
    if (roll < 0.6) return `(${gen(depth + 1)})${pick(['', '*', '+', '?', '{0,2}', '{1,}', '*'])}`;
    if (roll < 0.8) return `${gen(depth + 1)}|${gen(depth + 1)}`;
    return `${gen(depth + 1)}${gen(depth + 1)}${pick(['', '*', '?'])}`;
  };
  const out = new Set<string>();
  while (out.size < count) {
    const p = gen(0);
    try {
      parseEre(p);
      out.add(p);
    } catch (e) {
      if (!(e instanceof InvalidRegex)) throw e;
    }
  }
  return [...out];
}

const RANDOM = randomPatterns(150);
const RANDOM_SUBJECTS = ['', 'a', 'b', 'ab', 'ba', 'aab', 'abba', 'bab'];

/** Every pattern on every subject, as match and as split. */
function crossProduct(patterns: readonly string[], subjects: readonly string[]): string[] {
  return patterns.flatMap((re) => subjects.flatMap((s) => [matchExpr(re, s), splitExpr(re, s)]));
}

describe('builtins.match and builtins.split as Nix (libstdc++)', () => {
  test('syntax: match and split agree with Nix', async () => {
    const exprs = [...MATCH_CASES.map(([re, s]) => matchExpr(re, s)), ...SPLIT_CASES.map(([re, s]) => splitExpr(re, s))];
    const expected = await nixJsonBatch(exprs);
    exprs.forEach((e, i) => expect({ e, r: tsJson(e) }).toEqual({ e, r: expected[i] }));
  });

  test(`groups: ${PATTERNS.length} patterns on ${SUBJECTS.length} subjects, and ${RANDOM.length} random patterns, agree with Nix`, async () => {
    const exprs = [...crossProduct(PATTERNS, SUBJECTS), ...crossProduct(RANDOM, RANDOM_SUBJECTS)];
    const expected = await nixJsonBatch(exprs);
    const wrong = exprs.flatMap((e, i) => {
      const got = tsJson(e);
      return JSON.stringify(got) === JSON.stringify(expected[i]) ? [] : [{ e, got, nix: expected[i] }];
    });
    expect(wrong).toEqual([]);
  });

  test('patterns Nix rejects are rejected', async () => {
    const errs = await nixErrors(INVALID.map((re) => matchExpr(re, '')));
    INVALID.forEach((re, i) => {
      expect(errs[i]).toBe(`error: invalid regular expression '${re}'`);
      expect(tsError(matchExpr(re, ''))).toBe(errs[i]);
    });
  });

  test('stacked quantifiers apply to the quantified atom, not laziness', () => {
    expect(translateEre('a+?')).toBe('(?:a+)?');
  });
});

describe('JavaScript stands in for libstdc++ only where it gives the same groups', () => {
  const patterns = [...PATTERNS, ...RANDOM, ...MATCH_CASES.map(([re]) => re), ...SPLIT_CASES.map(([re]) => re)];
  const subjects = [...new Set([...SUBJECTS, ...RANDOM_SUBJECTS, ...MATCH_CASES.map(([, s]) => s), ...SPLIT_CASES.map(([, s]) => s)])];
  const groupsOf = (m: { start: Int32Array; end: Int32Array }, s: string) =>
    [...m.start].slice(1).map((a, g) => (a < 0 ? null : s.slice(a, m.end[g + 1])));

  test('match', () => {
    let compared = 0;
    for (const re of patterns) {
      const c = compileEre(re);
      if (!c.whole) continue;
      const nfa = buildNfa(c.ere);
      for (const s of subjects) {
        const js = c.whole.exec(s);
        const std = stdMatch(nfa, s);
        const jsGroups = js ? js.slice(1).map((g) => g ?? null) : null;
        expect({ re, s, groups: jsGroups }).toEqual({ re, s, groups: std ? groupsOf(std, s) : null });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  test('split', () => {
    let compared = 0;
    for (const re of patterns) {
      const c = compileEre(re);
      if (!c.splitAgrees) continue;
      const nfa = buildNfa(c.ere);
      for (const s of subjects) {
        const js: unknown[] = [];
        for (let from = 0; from <= s.length;) {
          c.search.lastIndex = from;
          const m = c.search.exec(s);
          if (!m) break;
          js.push([m.index, m.index + m[0].length, m.slice(1).map((g) => g ?? null)]);
          from = m[0].length === 0 ? m.index + 1 : m.index + m[0].length;
        }
        const std = [...stdMatches(nfa, s)].map((m) => [m.start[0], m.end[0], groupsOf(m, s)]);
        expect({ re, s, matches: js }).toEqual({ re, s, matches: std });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  test('split: JavaScript finding where matches start changes none of them', () => {
    for (const re of patterns) {
      const c = compileEre(re);
      const nfa = buildNfa(c.ere);
      for (const s of subjects) {
        const all = (scan?: RegExp) => [...stdMatches(nfa, s, scan)].map((m) => [m.start[0], m.end[0], groupsOf(m, s)]);
        expect({ re, s, matches: all(c.search) }).toEqual({ re, s, matches: all() });
      }
    }
  });

  test('the groups that make JavaScript differ are recognised', () => {
    const agrees = (re: string) => jsAgrees(parseEre(re));
    expect(agrees('([0-9]+)\\.([0-9]+)')).toEqual({ match: true, split: true });
    expect(agrees('(x)?y')).toEqual({ match: true, split: true });
    expect(agrees('(x*)?y')).toEqual({ match: false, split: false });
    expect(agrees('((a)|b)*')).toEqual({ match: false, split: false });
    expect(agrees('a|ab')).toEqual({ match: true, split: false });
  });
});
