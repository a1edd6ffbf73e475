/**
 * The ERE translator against real Nix's builtins.match / builtins.split:
 * classes, brackets with literal backslashes and leading `]`, intervals,
 * stacked quantifiers, escapes, anchors, alternation, and invalid patterns.
 */
import { compileEre, translateEre, InvalidRegex } from '../../src/eval/builtins/posixRegex.js';
import { nixJsonBatch, nixErrors } from './nixOracle.js';

const nixStr = (s: string) => JSON.stringify(s).replace(/\$/g, '\\$');

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
];

const SPLIT_CASES: Array<[string, string]> = [
  ['(a)|b', 'xaybz'],
  [',', 'a,b,,c'],
  ['[[:space:]]+', ' a  b '],
  ['(x*)', 'abc'],
  ['', 'ab'],
  ['(.)', 'ab'],
];

const INVALID = ['(.*', 'f(o*o', '*a', 'a{2', 'a{3,2}', '[[:nope:]]', '[z-a]', 'a)', '[abc', '\\d', '\\n', '\\]', '\\}'];

function jsMatch(re: string, s: string): unknown {
  const m = compileEre(re).whole.exec(s);
  return m ? m.slice(1).map((g) => g ?? null) : null;
}

function jsSplit(re: string, s: string): unknown[] {
  const search = compileEre(re).search;
  const out: unknown[] = [];
  let last = 0;
  let from = 0;
  while (from <= s.length) {
    search.lastIndex = from;
    const m = search.exec(s);
    if (!m) break;
    out.push(s.slice(last, m.index), m.slice(1).map((g) => g ?? null));
    last = m.index + m[0].length;
    from = m[0].length === 0 ? m.index + 1 : last;
  }
  out.push(s.slice(last));
  return out;
}

describe('POSIX ERE translation', () => {
  test('builtins.match agrees with Nix', async () => {
    const expected = await nixJsonBatch(MATCH_CASES.map(([re, s]) => `builtins.match ${nixStr(re)} ${nixStr(s)}`));
    MATCH_CASES.forEach(([re, s], i) => {
      expect({ re, s, r: jsMatch(re, s) }).toEqual({ re, s, r: expected[i] });
    });
  });

  test('builtins.split agrees with Nix', async () => {
    const expected = await nixJsonBatch(SPLIT_CASES.map(([re, s]) => `builtins.split ${nixStr(re)} ${nixStr(s)}`));
    SPLIT_CASES.forEach(([re, s], i) => {
      expect({ re, s, r: jsSplit(re, s) }).toEqual({ re, s, r: expected[i] });
    });
  });

  test('patterns Nix rejects are rejected', async () => {
    const errs = await nixErrors(INVALID.map((re) => `builtins.match ${nixStr(re)} ""`));
    INVALID.forEach((re, i) => {
      expect(errs[i]).toBe(`error: invalid regular expression '${re}'`);
      expect(() => compileEre(re)).toThrow(InvalidRegex);
    });
  });

  test('stacked quantifiers apply to the quantified atom, not laziness', () => {
    expect(translateEre('a+?')).toBe('(?:a+)?');
  });
});
