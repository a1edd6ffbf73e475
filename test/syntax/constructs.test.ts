/** Every construct of the language, checked through Nix's `--parse` form. */
import { printed, parse } from './helpers.js';

describe('expressions print as current nix-instantiate --parse prints them', () => {
  const cases: Array<[string, string]> = [
    ['123', '123'],
    ['1.5', '1.5'],
    ['1.0', '1'],
    ['.5', '0.5'],
    ['1.5e10', '1.5e+10'],
    ['123456789.0', '1.23457e+08'],
    ['0.0001', '0.0001'],
    ['0.00001', '1e-05'],
    ['x', 'x'],
    ['"a"', '"a"'],
    ['"a${b}c"', '("a" + b + "c")'],
    ['"${b}"', '(b)'],
    ['a.b.c', '(a).b.c'],
    ['a.b or c', '(a).b or (c)'],
    ['a."b c".${d}', '(a)."b c"."${d}"'],
    ['a ? b.c', '((a) ? b.c)'],
    ['{ }', '{ }'],
    ['{ b = 1; a = 2; }', '{ a = 2; b = 1; }'],
    ['rec { a = 1; }', 'rec { a = 1; }'],
    ['{ "a b" = 1; "if" = 2; }', '{ "a b" = 1; "if" = 2; }'],
    ['{ or = 1; }', '{ or = 1; }'],
    ['let a = 1; in a', '(let a = 1; in a)'],
    ['let in 1', '(let in 1)'],
    ['let { body = 1; x = 2; }', '(rec { body = 1; x = 2; }).body'],
    ['[ 1 a "s" ]', '[ (1) (a) ("s") ]'],
    ['[ ]', '[ ]'],
    ['x: x', '(x: x)'],
    ['{ b, a ? 1, ... }: a', '({ a ? 1, b, ... }: a)'],
    ['{ ... }: 1', '({ ... }: 1)'],
    ['{ }: 1', '({  }: 1)'],
    ['args@{ a }: a', '({ a } @ args: a)'],
    ['{ a }@args: a', '({ a } @ args: a)'],
    ['f a b', '(f a b)'],
    ['(f a) b', '(f a b)'],
    ['f (g a) b', '(f (g a) b)'],
    ['with a; b', '(with a; b)'],
    ['if a then b else c', '(if a then b else c)'],
    ['assert a; b', 'assert a; b'],
    ['!a', '(! a)'],
    ['-a', '(__sub 0 a)'],
    ['a + b + c', '((a + b) + c)'],
    ['a - b', '(__sub a b)'],
    ['a * b / c', '(__div (__mul a b) c)'],
    ['a < b', '(__lessThan a b)'],
    ['a > b', '(__lessThan b a)'],
    ['a <= b', '(! (__lessThan b a))'],
    ['a >= b', '(! (__lessThan a b))'],
    ['a == b', '(a == b)'],
    ['a != b', '(a != b)'],
    ['a && b || c', '((a && b) || c)'],
    ['a -> b -> c', '(a -> (b -> c))'],
    ['a // b // c', '(a // (b // c))'],
    ['a ++ b ++ c', '(a ++ (b ++ c))'],
    ['(a - b) c', '(__sub a b c)'],
    ['<nixpkgs>', '(__findFile __nixPath "nixpkgs")'],
    ['<nixpkgs/lib>', '(__findFile __nixPath "nixpkgs/lib")'],
    ['github:NixOS/nixpkgs/nixos-24.05', '"github:NixOS/nixpkgs/nixos-24.05"'],
    ['a or b', '(a or b)'],
    ['{ inherit a; inherit (x) c b; inherit (y) d; e = 1; }', '{ inherit a; inherit (x) b c; inherit (y) d; e = 1; }'],
    ['{ ${a} = 1; }', '{ "${a}" = 1; }'],
    ['{ ${"a"} = 1; }', '{ a = 1; }'],
    ['{ "${"a"}" = 1; }', '{ "${("a")}" = 1; }'],
    ['__curPos', '__curPos'],
    ['# comment\n1 /* c */', '1'],
    ['{ a.b = 1; a.c = 2; }', '{ a = { b = 1; c = 2; }; }'],
    ['{ a.c = 2; a = { b = 1; }; }', '{ a = { b = 1; c = 2; }; }'],
    ['{ a = { b = 1; }; a.c = 2; }', '{ a = { b = 1; c = 2; }; }'],
    ['{ a.${x} = 1; }', '{ a = { "${x}" = 1; }; }'],
    ['{ a = { inherit (x) y; }; a = { inherit (z) w; }; }', '{ a = { inherit (x) y; inherit (z) w; }; }'],
    ['{ inherit; inherit (x); a = 1; }', '{ a = 1; }'],
  ];
  it.each(cases)('%s', (src, expected) => {
    expect(printed(src)).toBe(expected);
  });
});

describe('literals', () => {
  it('keeps integers as 64-bit bigints', () => {
    const e = parse('9223372036854775807');
    expect(e).toMatchObject({ kind: 'int', value: 9223372036854775807n });
  });

  it('keeps the float spelling', () => {
    expect(parse('2.50')).toMatchObject({ kind: 'float', value: 2.5, text: '2.50' });
  });

  it('marks URIs as uri strings', () => {
    expect(parse('https://example.org/a?b=c')).toMatchObject({ kind: 'string', form: 'uri', parts: ['https://example.org/a?b=c'] });
  });

  it('names a lambda after the binding that holds it', () => {
    const e = parse('{ f = x: x; a.g = y: y; h = (z: z); }');
    if (e.kind !== 'attrs') throw new Error('not attrs');
    const f = e.attrs.get('f');
    expect(f?.kind === 'plain' && f.value.kind === 'lambda' && f.value.name).toBe('f');
    const a = e.attrs.get('a');
    const g = a?.kind === 'plain' && a.value.kind === 'attrs' ? a.value.attrs.get('g') : undefined;
    expect(g?.kind === 'plain' && g.value.kind === 'lambda' && g.value.name).toBe('g');
    const l = parse('let k = x: x; in k');
    expect(l.kind === 'let' && (l.attrs.get('k') as { value: { name?: string } }).value.name).toBe('k');
    expect((parse('x: x') as { name?: string }).name).toBeUndefined();
  });

  it('keeps formals in source order in the AST', () => {
    const e = parse('{ b, a }: a');
    expect(e.kind === 'lambda' && e.formals?.entries.map((f) => f.name)).toEqual(['b', 'a']);
  });
});

describe('size', () => {
  it('parses and prints long operator chains without running out of stack', () => {
    const src = Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' + ');
    const out = printed(src);
    expect(out.startsWith('('.repeat(19999) + 'a0 + a1)')).toBe(true);
    expect(out.endsWith(' + a19999)')).toBe(true);
    expect(printed(Array.from({ length: 5000 }, (_, i) => `${i}`).join(' - '))).toMatch(/^(\(__sub ){4999}0 1\) 2\)/);
  });
  it('turns too deep nesting into a NixError, not a JavaScript stack overflow', () => {
    let error: unknown;
    try {
      parse('('.repeat(20000) + '1' + ')'.repeat(20000));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'NixError', kind: 'parse' });
  });
});
