/** The checks Nix makes while parsing, and syntax errors, with Nix's wording and positions. */
import { parseError, located, parse, printed } from './helpers.js';

describe('checks Nix makes while parsing', () => {
  it('rejects duplicate attributes', () => {
    expect(located(parseError('{ x = 123;\n  y = 456;\n  x = 789;\n}'))).toBe("attribute 'x' already defined at «string»:1:3 @ 3:3");
    expect(located(parseError('{\n  services.ssh.port = 22;\n  services.ssh.port = 23;\n}')))
      .toBe("attribute 'services.ssh.port' already defined at «string»:2:3 @ 3:3");
    expect(located(parseError('let a = 1; a = 2; in a'))).toBe("attribute 'a' already defined at «string»:1:5 @ 1:12");
  });
  it('names the path up to the conflict', () => {
    expect(located(parseError('{ a = 1; a.b = 2; }'))).toBe("attribute 'a' already defined at «string»:1:3 @ 1:10");
    expect(located(parseError('{ a.b = 1; a = 2; }'))).toBe("attribute 'a' already defined at «string»:1:3 @ 1:12");
    expect(located(parseError('{\n  x.z = 3;\n  x = { y = 3; z = 3; };\n}'))).toBe("attribute 'x.z' already defined at «string»:2:3 @ 3:16");
    expect(located(parseError('{\n  x.y.y = 3;\n  x = { y.y= 3; z = 3; };\n}'))).toBe("attribute 'x.y.y' already defined at «string»:2:3 @ 3:9");
  });
  it('rejects inheriting twice and inheriting over a definition', () => {
    expect(located(parseError('rec {\n  x = 1;\n  as = {\n    inherit x;\n    inherit x;\n  };\n}'))).toBe("attribute 'x' already defined at «string»:4:13 @ 5:13");
    expect(located(parseError('{ x = 789;\n  inherit (as) x; }'))).toBe("attribute 'x' already defined at «string»:1:3 @ 2:16");
  });
  it('treats ${"a"} as the static name a', () => {
    expect(located(parseError('{ ${"a"} = 1; a = 2; }'))).toBe("attribute 'a' already defined at «string»:1:3 @ 1:15");
  });
  it('rejects duplicate formals and an @-name equal to a formal', () => {
    expect(located(parseError('{x, y, x}: x'))).toBe("duplicate formal function argument 'x' @ 1:8");
    expect(located(parseError('args@{args, x}: x'))).toBe("duplicate formal function argument 'args' @ 1:1");
    expect(located(parseError('{a}@a: a'))).toBe("duplicate formal function argument 'a' @ 1:1");
  });
  it('rejects dynamic attributes in let and inherit', () => {
    expect(located(parseError('let ${x} = 1; in 2'))).toBe('dynamic attributes not allowed in let @ 1:1');
    expect(located(parseError('{ inherit "${a}"; }'))).toBe('dynamic attributes not allowed in inherit @ 1:11');
    expect(printed('let a.${x} = 1; in a')).toBe('(let a = { "${x}" = 1; }; in a)');
  });
  it('rejects integers beyond 64 bits', () => {
    expect(located(parseError('9223372036854775808'))).toBe("invalid integer '9223372036854775808' @ 1:1");
  });
  it('leaves undefined variables to the scope pass', () => {
    expect(printed('x: y')).toBe('(x: y)');
  });
});

describe('gaps of the published grammar', () => {
  it('accepts a trailing comma in formals, with exact positions', () => {
    const e = parse('{\n  pkgs,\n  lib ? null,\n}:\npkgs');
    if (e.kind !== 'lambda' || !e.formals) throw new Error('not a lambda');
    expect(e.formals.entries.map((f) => `${f.name}@${f.span.line}:${f.span.column}`)).toEqual(['pkgs@2:3', 'lib@3:3']);
    expect(e.body.span.line).toBe(5);
    expect(printed('{ a, b ? 1, }@x: { c, # comment\n }: a')).toBe('({ a, b ? 1 } @ x: ({ c }: a))');
    expect(printed('x@{ a, }: a')).toBe('({ a } @ x: a)');
  });
  it('still rejects commas Nix rejects', () => {
    expect(parseError('{ , }: 1').message).toMatch(/^syntax error, unexpected/);
    expect(parseError('{ ..., }: 1').message).toMatch(/^syntax error, unexpected/);
  });
  it('ends a # comment at a lone CR, and counts it as a line break', () => {
    expect(printed('# comment\r1')).toBe('1');
    expect(located(parseError('# c\r{ a = 1; a = 2; }'))).toBe("attribute 'a' already defined at «string»:2:3 @ 2:10");
  });
  it('rejects keywords as attribute names after a dot', () => {
    for (const k of ['if', 'in', 'let', 'rec', 'with', 'assert', 'inherit', 'then', 'else']) {
      expect(located(parseError(`a.${k}`))).toBe(`syntax error, unexpected '${k}', expecting identifier or 'or' or '\${' or '"' @ 1:3`);
    }
    expect(printed('a.or')).toBe('(a).or');
  });
  it('rejects chained non-associative operators', () => {
    expect(located(parseError('1 == 2 == 3'))).toBe("syntax error, unexpected '==' @ 1:8");
    expect(located(parseError('1 < 2 < 3'))).toBe("syntax error, unexpected '<' @ 1:7");
    expect(located(parseError('1 < 2 >= 3'))).toBe("syntax error, unexpected '>=' @ 1:7");
    expect(located(parseError('a == b != c'))).toBe("syntax error, unexpected '!=' @ 1:8");
    expect(printed('a ? b ? c')).toBe('((((a) ? b)) ? c)');
    expect(printed('(1 == 2) == 3')).toBe('((1 == 2) == 3)');
    expect(printed('1 < 2 == true')).toBe('((__lessThan 1 2) == true)');
  });
  it('refuses pipe operators with a clear message', () => {
    for (const op of ['|>', '<|']) {
      const e = parseError(`a ${op} b`);
      // Nix's own wording; the hint says that tsportable has no pipe operators at all.
      expect(e.message).toBe("experimental Nix feature 'pipe-operators' is disabled; add '--extra-experimental-features pipe-operators' to enable it");
      expect(e.hints.join('\n')).toContain(op);
      expect(e.span?.column).toBe(3);
    }
  });
});

describe('syntax errors', () => {
  it('names the unexpected token as Nix does', () => {
    expect(located(parseError('a.~/foo'))).toBe("syntax error, unexpected '~/…' path, expecting identifier or 'or' or '${' or '\"' @ 1:3");
    expect(located(parseError('a.<nixpkgs>'))).toBe("syntax error, unexpected '<…>' path, expecting identifier or 'or' or '${' or '\"' @ 1:3");
    expect(located(parseError('-> x'))).toBe("syntax error, unexpected '->' @ 1:1");
    expect(located(parseError('if then'))).toBe("syntax error, unexpected 'then' @ 1:4");
    expect(located(parseError('(\n# no content\n'))).toBe('syntax error, unexpected end of file @ 3:1');
    expect(located(parseError('123 é 4'))).toBe('syntax error, unexpected invalid token @ 1:5');
  });
  it('says what was expected where a token is missing', () => {
    expect(located(parseError('{ a = 1 }'))).toBe("syntax error, unexpected '}', expecting ';' @ 1:9");
    expect(located(parseError('[ 1 2'))).toBe("syntax error, unexpected end of file, expecting ']' @ 1:6");
  });
  // Common mistakes, with what Nix says (2.8's token names turned into current Nix's).
  it.each([
    ['{ a = 1; b = 2 }', "syntax error, unexpected '}', expecting ';' @ 1:16"],
    ['f (x', "syntax error, unexpected end of file, expecting ')' @ 1:5"],
    ['if a then b', "syntax error, unexpected end of file, expecting 'else' @ 1:12"],
    ['if 1 else', "syntax error, unexpected 'else', expecting 'then' @ 1:6"],
    ['with a b', "syntax error, unexpected end of file, expecting ';' @ 1:9"],
    ['assert a b', "syntax error, unexpected end of file, expecting ';' @ 1:11"],
    ['{ a, b }: { c = a b; }}', "syntax error, unexpected '}', expecting end of file @ 1:23"],
    ['x: x x)', "syntax error, unexpected ')', expecting end of file @ 1:7"],
    ['"abc', "syntax error, unexpected end of file, expecting '\"' @ 1:5"],
    ['{ a = ; }', "syntax error, unexpected ';' @ 1:7"],
    ['{ = 1; }', "syntax error, unexpected '=' @ 1:3"],
    ['a.b.', "syntax error, unexpected end of file, expecting identifier or 'or' or '${' or '\"' @ 1:5"],
    ['1 +', 'syntax error, unexpected end of file @ 1:4'],
    ['[ 1, 2 ]', "syntax error, unexpected ',' @ 1:4"],
    ['{ a = 1, b = 2 }', "syntax error, unexpected ',' @ 1:8"],
    ['let a = 1 in a', "syntax error, unexpected 'in' @ 1:11"],
    ['{ 1 = x; }', 'syntax error, unexpected integer @ 1:3'],
    ['{ inherit http://x; }', 'syntax error, unexpected URI @ 1:11'],
    ['{ } ? ./foo', "syntax error, unexpected path @ 1:7"],
    ['== 1', "syntax error, unexpected '==' @ 1:1"],
    ['{ a ... }', "syntax error, unexpected '...' @ 1:5"],
  ])('reports %j like Nix', (src, expected) => {
    expect(located(parseError(src))).toBe(expected);
  });

  it('lists every error of the file, the first as the error', () => {
    const e = parseError('{\n  a = 1 +;\n  b = [ 1 2;\n  c = 3 3 );\n}');
    expect(e.kind).toBe('parse');
    expect(e.related.length).toBeGreaterThanOrEqual(1);
    const all = [e, ...e.related].map((x) => x.span!.line);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    for (const x of [e, ...e.related]) expect(x.message).toMatch(/^syntax error, unexpected /);
  });
  it('counts columns in bytes of UTF-8, as Nix does', () => {
    expect(located(parseError('"é" + a.if'))).toBe("syntax error, unexpected 'if', expecting identifier or 'or' or '${' or '\"' @ 1:10");
  });
  it('counts CR LF and lone CR as line breaks', () => {
    expect(parseError('{\r\n a = 1;\r a = 2; }').span?.line).toBe(3);
  });
  it('rejects an empty file', () => {
    expect(parseError('  ').message).toBe('syntax error, unexpected end of file');
  });
  it('uses the file path in spans', () => {
    expect(parseError('{ a = 1; a = 2; }', '/x/default.nix').message).toBe("attribute 'a' already defined at /x/default.nix:1:3");
  });
});

describe('`//` without spaces', () => {
  // The grammar reads `a//b` as one path literal; Nix reads the update operator.
  it('is the update operator where the expression stands alone', () => {
    expect(printed('a//b')).toBe('(a // b)');
    expect(printed('{ x = a.b//c.d; y = (a//b//c); }')).toBe('{ x = ((a).b // (c).d); y = (a // (b // c)); }');
    expect(printed('a//{ x = 1; }')).toBe('(a // { x = 1; })');
  });
  it('keeps spans on the original text', () => {
    const e = parse('{ x = a//b; }');
    const x = e.kind === 'attrs' ? e.attrs.get('x') : undefined;
    const v = x?.kind === 'plain' ? x.value : undefined;
    expect(v?.kind === 'binop' && [v.opSpan.column, v.right.span.column]).toEqual([8, 10]);
  });
  it('asks for spaces where precedence would differ, and rejects paths with //', () => {
    expect(parseError('f a//b').message).toBe("tsportable reads 'a//b' without spaces differently from Nix here; write 'a // b'");
    expect(parseError('./a//b').message).toBe("syntax error, unexpected end of path, expecting '${'");
  });
});
