/**
 * A large file that is one attribute set is parsed in pieces (grammar/src/binding.c):
 * the flat tree must be exactly the whole file's parse, int for int. Small
 * piece lengths here split every file at every binding the scan allows.
 */
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { lastParsePieces, parseFlat } from '../../src/eval/syntax/treeSitter.js';
import { parseNix } from '../../src/eval/syntax/parse.js';
import { packageRoot } from '../../src/paths.js';

/** Longer than any file: parsed whole. */
const WHOLE = 2 ** 31;

function flat(text: string, pieceLength: number): { nodes: Buffer; pieces: number } {
  const nodes = Buffer.from(parseFlat(text, pieceLength));
  return { nodes, pieces: lastParsePieces() };
}

/** Byte for byte (jest's toEqual takes minutes over millions of ints). */
function expectSame(a: Buffer, b: Buffer): void {
  expect(a.length).toBe(b.length);
  expect(a.equals(b)).toBe(true);
}

/** Every token the scan for pieces must see through: `;`, braces and `#` in strings, comments, URIs, `let`, `with`, `assert`. */
const TRICKY = [
  '# leading comment',
  '/* block */ {',
  '  # inside comment ; } {',
  '  a = 1;',
  '  b = "str ; } { \\" ${ "in ; {" + toString { x = 1; } } $${ not } $ end";',
  "  c = ''",
  "    ind ; } ''${ x } ''' ''\\n ''\\t ${ { y = 2; }.y } $${z} ' $ }",
  "  '';",
  '  d = x: y: x + y;',
  '  "quoted ; name" = { e = [ 1 2 (3) ]; f.g = 4; };',
  '  h = http://example.org/a/*b;',
  "  i' = 1; j'' = 2; k-l = 3;",
  '  m = { inherit a; inherit (b) c; };',
  '  n = let p = 1; in p;',
  '  o = ./path/to/${"x"}.nix;',
  '  q = /* c ; */ 5; # trailing ; comment',
  "  r = [ \"a;\" ''b;'' ];",
  '  s = if true then { } else { };',
  '  t = a.b or { };',
  '  u = -1 + 2 * 3 // { };',
  '  inherit aa;',
  '  inherit (x) y z;',
  '  v = rec { w = 1; x = w; };',
  '  "${"dyn"}" = 1;',
  '  w1 = with x; y;',
  '  w2 = assert true; with x; assert false; 1;',
  '  w3 = let { body = 1; };',
  '  w4 = let a = with b; c; in let d = 1; in d;',
  '  w5 = (with x; y);',
  '  with-x = 1; letx = 2; in-x = 3;',
  '  last = "end";',
  '  # trailing comment inside',
  '} # after',
  '/* after block */',
].join('\n');

function generated(count: number): string {
  const lines = ['{'];
  for (let i = 0; i < count; i++) lines.push(`  a${i} = { pname = "a${i}"; version = "1.${i % 100}"; deps = [ ${i % 13} ]; };`);
  lines.push('}', '');
  return lines.join('\n');
}

describe('parsing a large set in pieces', () => {
  test('every place the scan may split gives the tree of the whole parse', () => {
    const whole = flat(TRICKY, WHOLE);
    expect(whole.pieces).toBe(1);
    const pieces = flat(TRICKY, 1);
    // A piece for most bindings of the set's level (not after a comment, nor before the first).
    expect(pieces.pieces).toBeGreaterThan(25);
    expectSame(pieces.nodes, whole.nodes);
  });

  test('a generated set, in pieces of a few bindings and by default (large enough to be split)', () => {
    const text = generated(40_000);
    expect(text.length).toBeGreaterThan(2 ** 21);
    const whole = flat(text, WHOLE);
    const small = flat(text, 500);
    expect(small.pieces).toBeGreaterThan(1000);
    expectSame(small.nodes, whole.nodes);
    const byDefault = Buffer.from(parseFlat(text));
    expect(lastParsePieces()).toBeGreaterThan(1);
    expectSame(byDefault, whole.nodes);
  });

  test('every .nix file of the repository: the same tree', () => {
    const files = execSync('git ls-files "*.nix"', { cwd: packageRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    let split = 0;
    for (const rel of files) {
      const text = readFileSync(join(packageRoot, rel), 'utf8');
      const whole = flat(text, WHOLE);
      const pieces = flat(text, 1);
      expectSame(pieces.nodes, whole.nodes);
      if (pieces.pieces > 1) split++;
    }
    expect(split).toBeGreaterThan(5);
  });

  test('a piece with a syntax error: the file is parsed whole, and the error reported where it is', () => {
    const text = '{\n  a = 1;\n  b = 2 c = 3;\n  d = 4;\n}\n';
    const { nodes, pieces } = flat(text, 1);
    expect(pieces).toBe(1);
    expectSame(nodes, flat(text, WHOLE).nodes);
    let line: number | undefined;
    try {
      parseNix(text, '/f.nix', { baseDir: '/' });
    } catch (e) {
      line = (e as { span?: { line: number } }).span?.line;
    }
    expect(line).toBe(3);
  });

  test('what is not one set is parsed whole', () => {
    for (const text of ['{ a = 1; b = 2; }.a', 'x: { a = 1; b = 2; }', '[ { a = 1; } ]', '{ a = 1; b = 2; } // { }', 'let a = 1; b = 2; in { c = a; }']) {
      const { nodes, pieces } = flat(text, 1);
      expect(pieces).toBe(1);
      expectSame(nodes, flat(text, WHOLE).nodes);
    }
  });
});
