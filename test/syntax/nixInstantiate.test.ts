/**
 * Compares the parser with the real `nix-instantiate --parse` (Debian's Nix
 * 2.8). 2.8 prints an older form in a few places (formals in symbol order,
 * `inherit (x) a` as `a = (x).a`) and checks undefined variables while
 * parsing, so snippets are wrapped as `{ scope }: with scope; ...` and printed
 * output is compared only for constructs where both forms agree; for the rest,
 * only whether parsing fails. Where current Nix differs from 2.8 on purpose
 * (`{ a = 1; a.b = 2; }` names 'a', not 'a.b'), tsportable follows current Nix
 * and the case is not listed here. 2.8 escapes every `$` in a printed string
 * (`"\$c"`), current Nix only `${`: Nix's output is normalised for that.
 */
import { execa } from 'execa';
import { parse, printed } from './helpers.js';
import { NixError } from '../../src/eval/errors.js';
import { FLAKE, NIXPKGS_STYLE, PORTABLE } from './samples.js';

async function nixParse(expr: string): Promise<{ ok: boolean; out: string }> {
  // Run from / so that Nix resolves relative paths against '/', and the test maps /dir/ to it.
  const r = await execa('nix-instantiate', ['--parse', '-E', expr], { reject: false, cwd: '/' });
  return { ok: r.exitCode === 0, out: r.stdout.trim() };
}

const wrap = (e: string) => `{ scope }: with scope; ${e}`;

/** Snippets whose printed form is the same in Nix 2.8 and current Nix. */
const SAME_PRINT = [
  'a - b', '-a', 'a < b', 'a <= b', 'a > b', 'a >= b', '"a${b}c"', '"${a}"', 'a.b or c', 'a ? b.c',
  'with a; b', 'assert a; b', '!a', 'a.${b}', '{ ${a} = 1; }', '(a - b) c', 'f a b', 'f (a b)',
  '"a\\nb\\${x}"', "''\n  a\n    ${b}\n''", "''\n    x\n  y ''$ ''' ''\\t\n''", "''a$'b'$c''", 'a.b.c', 'a // b ++ c', 'let { body = a; }',
  '1.0e10', '0.1', '3.14159265', 'http://x.org/a?b=c', '{ a.b = 1; a.c = 2; }', '{ a = { b = 1; }; a.c = 2; }',
  'rec { x = 1; y = x; }', 'let x = 1; in x', 'a ? b ? c', '-a ? b', '!a ? b', '[ 1 "a" ./p <q> ]', 'x: y: x', 'args@{ a }: a', '{ ... }: 1',
  'if a then b else c', 'a -> b -> c', 'a && b || !c', 'a + b * c / d - e', 'a == b', 'a != b',
  '~/x', '/a/../b', './a/./b', '{ "a b" = 1; "if" = 2; or = 3; }', 'a."b c".d', '{ a = x: x; }.a',
  '9223372036854775807', '"\\r\\t\\\\"', '{ }', '[ ]', 'a.or',
  '[ a or ]', 'f or', 'a or b or c', 'f a or b', 'f -1', '!-1', '- !a', 'x: x:x', 'a.b . c', '"${a}" b',
  'a.b.c or d.e', '{ a = 1; }.a or 2', 'a//b', 'a.b//c', '{ x = a//b//c; }',
  'a."${b}"', '{ "${a}" = 1; }', 'a ? "${b}".c', '{ a."b${c}" = 1; }', '"${a}${b}"', '"" + ""', "''''",
  '"\\${a}"', 'a.${"b"}', '{ inherit; a = 1; }', '{ inherit (x); a = 1; }', 'let inherit; in 1',
];

/** Snippets for which only "parses or not" is compared. */
const SAME_OUTCOME = [
  '1 == 2 == 3', '1 < 2 < 3', 'a.if', 'a.in', 'a.let', '{ a = 1; a = 2; }', '{x, y, x}: x', 'x@{x}: x',
  'let ${a} = 1; in 2', '{ inherit "${a}"; }', '9223372036854775808', '{ a, }: a', '{ , }: a', '{ ..., }: a',
  '(', '[ 1 2', '{ a = 1 }', 'if then', '123 é 4', './a/', '# c\r1', '{ a.b = 1; a = 2; }', 'a.b.c = 1', '[ or ]', 'a.b or', './a//b', '/a//b', 'x //++ [ 1 ]', '{ inherit }', '{ inherit a }', '{ inherit (a) }',
  '{ a = 1; } ? a', '"unterminated', "''unterminated", '1 + + 2', 'let a = 1 in a', 'f = x',
  NIXPKGS_STYLE, FLAKE, PORTABLE,
];

describe('agreement with nix-instantiate --parse (Nix 2.8)', () => {
  it.each(SAME_PRINT)('prints %j as Nix does', async (snippet) => {
    const nix = await nixParse(wrap(snippet));
    expect(nix.ok).toBe(true);
    const ours = printed(wrap(snippet)).replace(/\/dir\//g, '/').replace(/\/home\/u\//g, `${process.env.HOME}/`);
    expect(ours).toBe(nix.out.replace(/\\\$(?!\{)/g, '$'));
  });

  it.each(SAME_OUTCOME)('fails or not as Nix does for %j', async (snippet) => {
    const nix = await nixParse(wrap(snippet));
    let ours = true;
    try {
      parse(wrap(snippet));
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      expect(e.kind).toBe('parse');
      ours = false;
    }
    expect([snippet, ours]).toEqual([snippet, nix.ok]);
  });
});
