/**
 * Write-back against real Nix: native values (made by the evaluator from Nix
 * source) are written as Nix source, and real Nix must read them as the same
 * values it computes from the original source. Each case is a value and a
 * function that uses it (functions and lazy attributes can only be compared
 * through their use). All cases go through two nix-instantiate runs.
 */
import { execa } from 'execa';
import { floatLiteral, intLiteral, stringLiteral } from '../../src/bridge/nixLiterals.js';
import { fixtures, nixEnv, useSession } from './harness.js';

const cases: Array<[string, string?]> = [
  ['null'], ['true'], ['false'], ['0'], ['-5'], ['9223372036854775807'], ['(-9223372036854775807 - 1)'],
  ['1.5'], ['-0.25'], ['1.0e21'], ['1.0e-7'], ['123456789.123'], ['3.0'],
  ['"quote \\" backslash \\\\ end"'],
  ['"dollar $ and \\${x} and $${y} and $"'],
  ['"line\\nbreak\\ttab\\r"'],
  ['"unicode é ✓ 😀"'],
  ["''\n  indented ''${x}\n    more\n''"],
  ['[ 1 [ 2 [ ] ] { } "s" ]'],
  ['{ "a b" = 1; "if" = 2; "" = 3; x.y.z = [ 1 { q = null; } ]; "€" = 4; }'],
  ['./unit.in'],
  ['"${./unit.in} in a string"'],
  ['{ ok = 1; bad = throw "never forced"; }', 'v: v.ok'],
  ['[ 1 (throw "never forced") 3 ]', 'v: builtins.elemAt v 2'],
  ['rec { a = 1; b = a + 1; self = { inherit a b; }; }'],
  ['let x = { v = 1; y = x; }; in x', 'v: v.y.y.y.v'],
  ['x: { a ? 2, ... }@args: x * a + builtins.length (builtins.attrNames args)', 'f: [ (f 3 { b = 1; }) (f 3 { a = 5; }) ]'],
  ['let fact = n: if n == 0 then 1 else n * fact (n - 1); in fact', 'f: f 10'],
  ['p: ./sub/${p}.service', 'f: toString (f "x")'],
  ['p: [ ./unit.in ../fixtures/pkg.nix ]', 'f: map toString (f 1)'],
  ['builtins.map', 'f: f (x: x * 2) [ 1 2 ]'],
  ['builtins.map (x: x + 1)', 'f: f [ 1 2 ]'],
  ['(with { y = 7; }; x: x + y)', 'f: f 1'],
  // Every construct printed back: formals with defaults and `@`, let/inherit/inherit-from/rec, assert, with,
  // dynamic names, `or`, `?` with paths, if, indented strings, operators.
  [`let k = "dyn"; base = { a = 1; b = { c = 2; }; }; in
    { x ? 1, y ? x + 1, ... }@args:
      let inherit (base) a; inherit k; z = rec { p = 1; q = p + 1; }; in
      assert a == 1;
      with z; {
        \${k} = !(a == 2);
        "\${k}2" = -q;
        sel = base.b.c or 0;
        miss = base.b.nope or "fallback";
        has = base ? b.c;
        cond = if args ? x then "has x" else "no x";
        str = ''
          indented \${toString y} ''\${literal}
            line
        '';
        imp = true -> false;
        cat = [ 1 ] ++ [ p ];
        upd = base // { a = 5; };
        cmp = [ (1 < 2) (2 <= 2) ("a" != "b") (x * 3 / 2) (x - 1) (1.5 > 1) (true && false || true) ];
      }`, 'f: [ (f { x = 4; }) (f { }) ]'],
];

const s = useSession([]);

test('values written back read as the same values in Nix', async () => {
  const program = s.bridge.program();
  const written = cases.map(([expr, use]) => {
    const v = s.eval(`(${expr})`);
    return `((${use ?? 'v: v'}) ${program.value(v)})`;
  });
  const original = `[\n${cases.map(([expr, use]) => `((${use ?? 'v: v'}) (${expr}))`).join('\n')}\n]`;
  const run = async (text: string) => JSON.parse((await execa('nix-instantiate',
    ['--eval', '--strict', '--json', '-E', text], { cwd: fixtures, env: nixEnv })).stdout) as unknown[];
  const expected = await run(original);
  const actual = await run(program.render(`[\n${written.join('\n')}\n]`));
  cases.forEach(([expr], i) => expect([expr, actual[i]]).toEqual([expr, expected[i]]));
});

describe('literals', () => {
  test('ints at the edges', () => {
    expect(intLiteral(-(2n ** 63n))).toBe('(-9223372036854775807 - 1)');
    expect(intLiteral(-3)).toBe('(-3)');
  });
  test('floats always have a dot and no NaN', () => {
    expect(floatLiteral(1e21)).toBe('1.0e+21');
    expect(floatLiteral(2)).toBe('2.0');
    expect(floatLiteral(-0.5)).toBe('(-0.5)');
    expect(floatLiteral(NaN)).toBeUndefined();
  });
  test('no interpolation can start in a written string', () => {
    expect(stringLiteral('${x} $${y}')).toBe('"\\${x} \\$\\${y}"');
  });
});
