/**
 * The parse cache (syntax/parseCache.ts, astCodec.ts): a tree read back from
 * the cache is the tree lowering gives, field for field, span for span; a
 * changed file never gets its old tree; a damaged, unreadable or unwritable
 * cache falls back to parsing without a word; results are the same with and
 * without it; trees whose lowering warned are not kept.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import type { ParseCache } from '../../src/eval/syntax/parseCache.js';
import { execSync } from 'node:child_process';
import { bodyIfRead, decodeTree, encodeTree, encodeTreeParts, CorruptTree, LiteralEncoder } from '../../src/eval/syntax/astCodec.js';
import type { Expr, Lambda } from '../../src/eval/syntax/ast.js';
import { LiteralAttrs } from '../../src/eval/syntax/literalAttrs.js';
import { NixError } from '../../src/eval/errors.js';
import { parseNix } from '../../src/eval/syntax/parse.js';
import { diskParseCache } from '../../src/eval/syntax/parseCache.js';
import { PositionTable } from '../../src/eval/syntax/positions.js';
import { lintSettings, resetLints } from '../../src/eval/syntax/lint.js';
import { diagnostics } from '../../src/eval/diagnostics.js';
import { createEvaluator } from '../../src/eval/index.js';
import { packageRoot } from '../../src/paths.js';
import { FLAKE, NIXPKGS_STYLE, PORTABLE } from './samples.js';

/** Everything about a tree that anything could observe: kinds, fields in order, strings, numbers, spans with lines and columns. */
function shape(x: unknown): unknown {
  if (typeof x === 'bigint') return `${x}n`;
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(shape);
  if (x instanceof Map) return { map: [...x].map(([k, v]) => [k, shape(v)]) };
  const o = x as Record<string, unknown>;
  if ('table' in o && 'start' in o) {
    const s = o as unknown as { start: number; end: number; line: number; column: number; endLine: number; endColumn: number; source: { path: string } };
    return { span: [s.start, s.end, s.line, s.column, s.endLine, s.endColumn, s.source.path] };
  }
  const keys = Object.keys(o);
  // A function read back from the cache has its body behind a getter (read when first asked for): seen where lowering puts it.
  if (o.kind === 'lambda' && !keys.includes('body')) keys.splice(keys.indexOf('formals') + 1, 0, 'body');
  return keys.map((k) => [k, shape(o[k])]);
}

/** Every function of a tree whose body is at hand, without reading any body (bodyIfRead). */
function functionsRead(e: unknown, out: Lambda[] = []): Lambda[] {
  if (e === null || typeof e !== 'object') return out;
  if (Array.isArray(e)) {
    for (const x of e) functionsRead(x, out);
    return out;
  }
  if (e instanceof Map) {
    for (const x of e.values()) functionsRead(x, out);
    return out;
  }
  const o = e as Record<string, unknown>;
  if ('table' in o && 'start' in o) return out; // a span
  if (o.kind === 'attrs' && o.attrs instanceof LiteralAttrs) return out; // not decoded either
  for (const k of Object.keys(o)) functionsRead(o[k], out);
  if (o.kind === 'lambda') {
    out.push(o as unknown as Lambda);
    functionsRead(bodyIfRead(o as unknown as Lambda), out);
  }
  return out;
}

const opts = { baseDir: '/dir/sub', home: '/home/u' };

/** The evaluator's parseFile option through a parse cache, as the CLI sets it (src/cli/session.ts). */
const through = (cache: ParseCache) => (text: string, file: string) => cache.parse(text, file, { baseDir: dirname(file) });

/**
 * The tree as the parse cache writes it on a first parse (sets of literals
 * lowered straight into the encoding), decoded from its bytes; and as that
 * parse hands it out, read from the encoding without parsing the bytes back,
 * which must be the same tree.
 */
function straightDecoded(text: string, path: string, options = opts): unknown {
  const literals = new LiteralEncoder();
  const lowered = parseNix(text, path, options, literals);
  const encoded = encodeTreeParts(lowered, literals);
  const decoded = shape(decodeTree(Buffer.concat(encoded.parts), new PositionTable({ path, text })));
  expect(shape(encoded.decode(new PositionTable({ path, text })))).toEqual(decoded);
  return decoded;
}

/** The tree lowered, encoded and decoded; and as the cache makes it on a first parse. */
function roundTrip(text: string, path = '/dir/sub/file.nix'): { lowered: unknown; decoded: unknown; straight: unknown } {
  const lowered = parseNix(text, path, opts);
  const decoded = decodeTree(encodeTree(lowered), new PositionTable({ path, text }));
  return { lowered: shape(lowered), decoded: shape(decoded), straight: straightDecoded(text, path) };
}

/** Constructs lowering handles specially, each once. */
const SNIPPETS = [
  '1', '-9223372036854775807', '9223372036854775807', '2147483648', '-2147483648', '0.5', '1e10', '.5e-3', '007',
  '"a\\n${b}\\tc$${d}"', "''\n  a\n    ''${b}\n  '''c ${d}\n  ''\\n''", "''''", '""', 'http://example.org/a,b', 'github:NixOS/nixpkgs',
  './a/../b', './x/${y}.nix', '~/cfg', '~/${x}', '/abs/path', 'a/b', '<nixpkgs>', '<nixpkgs/lib>',
  'x: y: x', '{ a, b ? 1, ... }@args: a', 'args@{ a }: a', '{ }: 1', 'let { body = 1; }',
  'rec { a = 1; b = a; }', '{ a.b.c = 1; a.d = 2; a = { e = 3; }; }', '{ ${x} = 1; "${y}z" = 2; "lit" = 3; ${"lit2"} = 4; }',
  'let inherit (a) b c; inherit d; e = 1; in e', '{ inherit (a.b) c; inherit (d) e; }', 'let a = 1; in a',
  'a.b.c or d', 'a ? b.c', 'a."b${c}".d', 'f a b (c d)', '(f a) b', 'a // b // c', 'a//b', '1 + 2 * 3 - 4 / 5', 'a ++ b',
  '!a && b || c -> d', 'a == b', 'a < b', 'a >= b', '-a', '- 5', 'if a then b else c', 'assert a; b', 'with a; b',
  '[ 1 "a" { } [ ] (x: x) ]', '__curPos', 'builtins.map (x: x) [ ]', '{ f = x: x; g = { h = y: y; }; }.f',
  '"é${x}ü" + \'\'\n  ñ\n\'\'', '"\uD83D\uDE00 ${a} \uDC80\uDCFF"', '# comment\n/* block */ 1',
];

describe('the tree codec', () => {
  test.each(SNIPPETS)('round trip of %s', (text) => {
    const { lowered, decoded, straight } = roundTrip(text);
    expect(decoded).toEqual(lowered);
    expect(straight).toEqual(lowered);
  });

  test('round trip of real-world shaped files', () => {
    for (const text of [NIXPKGS_STYLE, FLAKE, PORTABLE]) {
      const { lowered, decoded, straight } = roundTrip(text);
      expect(decoded).toEqual(lowered);
      expect(straight).toEqual(lowered);
    }
  });

  /** Sets of literals, and sets that look like them but that lowering must see (lowerLiterals.ts gives them up). */
  const LITERAL_SETS = [
    '{ }', '{ a = 1; }', '{ a = { }; b = [ ]; c = [ [ ] { } ]; }', '[ { a = 1; } { b = 2; } ]',
    '{ a = 1; b = "two"; c = 3.5; d = [ 1 "x" { e = [ ]; } ]; f = { g = { h = "deep"; }; }; }',
    '{ "quoted name" = 1; "" = 2; "esc\\\\aped\\n" = "a\\tb\\${c}$${d}"; x = "\\r"; y = "a\r\nb"; }',
    '{ /* c */ a = /* c */ 1 /* c */; # c\n b = [ # c\n 2 /* c */ ]; }',
    '{ big = 9223372036854775807; i32 = 2147483648; neg = -1; small = 2147483647; zero = 007; f = 1e300; g = .5; }',
    '{ a = { b = 1; }; a.c = 2; }', '{ a.b = 1; a = { c = 2; }; }', '{ a = { b = 1; }; a.c = x; }',
    '{ a = { b = 1; }; x = y; }', '{ a = 1; inherit b; }', 'rec { a = 1; b = { c = a; }; }',
    '{ a = "${b}"; c = { d = 1; }; }', '{ p = ./x; q = { r = ./y; }; }', '{ a = x: x; b = { c = 1; }; }',
    'let s = { a = 1; b = [ 2 ]; }; in s', '{ a = { b = 1; } // { c = 2; }; }', "{ a = ''\n  x\n''; b = { c = 1; }; }",
    '{ s = { a = 1; }; s = { "${"b" + ""}" = 2; }; t = { a = 1; }; t = { inherit (x) c; }; }',
    '{ or = 1; b = { or = 2; }; }', '{ a = 1.0; b = 1.50; c = 0.0; }', '{ "\uDC80k" = "a\uDCFFb"; }',
    '{ x = 1; s = { x = 2; y = { x = 3; }; }; t = [ { x = 4; } ]; y = { x = 5; }; }',
  ];

  test.each(LITERAL_SETS)('sets of literals lowered straight into the encoding: %s', (text) => {
    const { lowered, decoded, straight } = roundTrip(text);
    expect(decoded).toEqual(lowered);
    expect(straight).toEqual(lowered);
  });

  /** Errors lowering reports in sets that are otherwise of literals: the same with the straight path. */
  const LITERAL_ERRORS = [
    '{ a = 1; a = 2; }', '{ a = { b = 1; }; a = { b = 2; }; }', '{ x = { if = 1; }; }', '{ a = 99999999999999999999; }',
    '{ a = 1.0e400; }', '{ a = "x\0y"; }', '{ a = { b = [ 1 { c = 1; c = 2; } ]; }; }', '{ "a" = 1; a = 2; }',
    // A name defined twice around a set (or a list of sets) that defines it too.
    '{ x = 1; s = { x = 2; }; x = 3; }', '{ a = { b = 1; c = { b = 2; d = [ { b = 3; } ]; }; b = 4; }; }',
  ];

  test.each(LITERAL_ERRORS)('errors in sets of literals are lowering\'s: %s', (text) => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return `${(e as Error).message} ${JSON.stringify((e as { span?: unknown }).span)}`;
      }
      return 'no error';
    };
    const plain = message(() => parseNix(text, '/f.nix', opts));
    expect(plain).not.toBe('no error');
    expect(message(() => parseNix(text, '/f.nix', opts, new LiteralEncoder()))).toBe(plain);
  });

  test('round trip of every .nix file of the repository', () => {
    const files = execSync('git ls-files "*.nix"', { cwd: packageRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    let compared = 0;
    for (const rel of files) {
      const path = join(packageRoot, rel);
      const text = readFileSync(path, 'utf8');
      let lowered;
      try {
        lowered = parseNix(text, path, { baseDir: dirname(path), home: '/home/u' });
      } catch {
        continue; // fixtures that are meant not to parse
      }
      const decoded = decodeTree(encodeTree(lowered), new PositionTable({ path, text }));
      expect(shape(decoded)).toEqual(shape(lowered));
      expect(straightDecoded(text, path, { baseDir: dirname(path), home: '/home/u' })).toEqual(shape(lowered));
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });

  test('lone surrogates (bytes that are not UTF-8) survive in strings and names', () => {
    const text = '{ "\uDC80k" = "a\uDCFFb\uDC80"; s = \'\'\n  \uDCC3\n\'\'; }';
    const { lowered, decoded, straight } = roundTrip(text);
    expect(decoded).toEqual(lowered);
    expect(straight).toEqual(lowered);
    expect(JSON.stringify(decoded)).toContain('a\\udcffb\\udc80');
  });

  test('damaged bytes are refused, never decoded into another tree', () => {
    const text = 'let a = { b = 1; c = "text"; }; in a.b + 2';
    const bytes = encodeTree(parseNix(text, '/f.nix', opts));
    const table = new PositionTable({ path: '/f.nix', text });
    const damaged: Uint8Array[] = [bytes.subarray(0, bytes.length - 4), bytes.subarray(0, 10), new Uint8Array(0), Buffer.from('not a tree at all, really not')];
    for (let i = 0; i < bytes.length; i += 7) {
      const flipped = Uint8Array.from(bytes);
      flipped[i] ^= 0x10;
      damaged.push(flipped);
    }
    for (const d of damaged) expect(() => decodeTree(d, table)).toThrow(CorruptTree);
  });
});

describe('the parse cache on disk', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tsportable-parse-cache-')); });
  afterEach(() => {
    resetLints();
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  const entries = (d: string) => (existsSync(d) ? readdirSync(d) : []);

  test('a second parse of the same file reads the tree from the cache', () => {
    const cache = diskParseCache(join(dir, 'syntax'));
    const first = cache.parse(NIXPKGS_STYLE, '/p/default.nix', opts);
    expect(entries(join(dir, 'syntax'))).toHaveLength(1);
    // A damaged entry would be refused; a readable one is what the second parse returns.
    const second = cache.parse(NIXPKGS_STYLE, '/p/default.nix', opts);
    expect(second).not.toBe(first);
    expect(shape(second)).toEqual(shape(first));
  });

  test('the key covers the path, the base directory and $HOME', () => {
    const cache = diskParseCache(join(dir, 'syntax'));
    const text = '[ ./a ~/b ]';
    cache.parse(text, '/p/a.nix', opts);
    const other = cache.parse(text, '/q/a.nix', { baseDir: '/q', home: '/home/v' });
    expect(shape(other)).toEqual(shape(parseNix(text, '/q/a.nix', { baseDir: '/q', home: '/home/v' })));
    expect(entries(join(dir, 'syntax'))).toHaveLength(2);
  });

  test('a changed file never gets its old tree, even at the same length', () => {
    const file = join(dir, 'f.nix');
    const cacheDir = join(dir, 'syntax');
    const evaluate = () => {
      const ev = createEvaluator({ cwd: dir, parseFile: through(diskParseCache(cacheDir)) });
      return ev.printValue(ev.evalFile(file), { strict: true });
    };
    writeFileSync(file, '{ a = 1; }');
    expect(evaluate()).toBe('{ a = 1; }');
    expect(evaluate()).toBe('{ a = 1; }');
    writeFileSync(file, '{ a = 2; }');
    expect(evaluate()).toBe('{ a = 2; }');
    writeFileSync(file, '{ b = 2; }');
    expect(evaluate()).toBe('{ b = 2; }');
    writeFileSync(file, '{ a = 1; }');
    expect(evaluate()).toBe('{ a = 1; }');
  });

  test('damaged entries fall back to parsing, silently, and are written again', () => {
    const cacheDir = join(dir, 'syntax');
    const cache = diskParseCache(cacheDir);
    const text = 'let x = { y = [ 1 2 3 ]; }; in x.y';
    const expected = shape(parseNix(text, '/f.nix', opts));
    cache.parse(text, '/f.nix', opts);
    const [entry] = entries(cacheDir);
    const path = join(cacheDir, entry!);
    const good = readFileSync(path);
    for (const bad of [Buffer.alloc(0), good.subarray(0, good.length >> 1), Buffer.from('garbage'), Buffer.concat([good, Buffer.from([1, 2, 3, 4])])]) {
      writeFileSync(path, bad);
      expect(shape(cache.parse(text, '/f.nix', opts))).toEqual(expected);
      expect(readFileSync(path).equals(good)).toBe(true);
    }
  });

  test('an unwritable or impossible cache directory: parsing as without one', () => {
    const text = '{ a = "b"; }';
    const expected = shape(parseNix(text, '/f.nix', opts));
    chmodSync(dir, 0o555);
    const readOnly = diskParseCache(join(dir, 'syntax'));
    writeFileSync(join(tmpdir(), `tsportable-not-a-dir-${process.pid}`), 'x');
    const notADir = diskParseCache(join(tmpdir(), `tsportable-not-a-dir-${process.pid}`, 'syntax'));
    try {
      for (const cache of [readOnly, notADir]) {
        expect(shape(cache.parse(text, '/f.nix', opts))).toEqual(expected);
        expect(shape(cache.parse(text, '/f.nix', opts))).toEqual(expected);
      }
    } finally {
      rmSync(join(tmpdir(), `tsportable-not-a-dir-${process.pid}`), { force: true });
    }
  });

  test('a tree whose lowering warned is not kept: the warning comes again', () => {
    const lines: string[] = [];
    const saved = diagnostics.write;
    diagnostics.write = (l) => { lines.push(l); };
    try {
      const cache = diskParseCache(join(dir, 'syntax'));
      const text = '[ a or ]';
      cache.parse(text, '/f.nix', opts);
      cache.parse(text, '/f.nix', opts);
      expect(lines.filter((l) => l.includes('`or` as an identifier'))).toHaveLength(2);
      expect(entries(join(dir, 'syntax'))).toHaveLength(0);
    } finally {
      diagnostics.write = saved;
    }
  });

  test('with a lint setting on, the cache is neither read nor written', () => {
    const cache = diskParseCache(join(dir, 'syntax'));
    const text = '[ http://example.org ]';
    cache.parse(text, '/f.nix', opts);
    expect(entries(join(dir, 'syntax'))).toHaveLength(1);
    lintSettings['lint-url-literals'] = 'fatal';
    expect(() => cache.parse(text, '/f.nix', opts)).toThrow(/URL literals are disallowed/);
  });

  test('evaluation gives the same results with the cache cold, warm, and without it', () => {
    const files = ['nix/lib/default.nix', 'test/fixtures/nixpkgs/default.nix'].map((f) => join(packageRoot, f));
    const cacheDir = join(dir, 'syntax');
    const exprs = [
      `let lib = import ${files[0]}; in [ (lib.concatMapStringsSep "," toString [ 1 2 ]) (lib.optionalAttrs true { a = 1; }) (builtins.length (builtins.attrNames lib)) ]`,
      `(import ${files[1]} { }).lib.version or "none"`,
    ];
    const results = (cache?: ParseCache) => exprs.map((e) => {
      const ev = createEvaluator({ cwd: dir, parseFile: cache && through(cache) });
      return ev.printValue(ev.evalExpr(e, dir), { strict: true });
    });
    const without = results();
    expect(results(diskParseCache(cacheDir))).toEqual(without);
    expect(entries(cacheDir).length).toBeGreaterThan(5);
    expect(results(diskParseCache(cacheDir))).toEqual(without);
  });
});

describe('functions compiled when first called', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tsportable-lazy-bodies-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const evaluate = (file: string, cacheDir: string) => {
    const ev = createEvaluator({ cwd: dir, parseFile: through(diskParseCache(cacheDir)) });
    return ev.printValue(ev.evalFile(file), { strict: true });
  };

  test('a file read back from the cache after a full compile gives the same results', () => {
    const file = join(dir, 'f.nix');
    const cacheDir = join(dir, 'syntax');
    writeFileSync(file, 'let f = x: y: x * y; g = { h = n: if n == 0 then 1 else n * g.h (n - 1); }; unused = z: z.a.b; in [ (f 3 4) (g.h 5) (builtins.functionArgs ({ a, b ? 1 }: a)) ]');
    const cold = evaluate(file, cacheDir);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.compiles'))).toHaveLength(1);
    expect(evaluate(file, cacheDir)).toBe(cold);
    expect(evaluate(file, cacheDir)).toBe('[ 12 120 { a = false; b = true; } ]');
  });

  test('a function never called has its body neither read nor compiled; one called, read once', () => {
    const file = join(dir, 'f.nix');
    const cacheDir = join(dir, 'syntax');
    writeFileSync(file, 'let used = n: n * 2; unused = z: z.a.b; twice = f: x: f (f x); in [ (used 1) (used 2) (twice used 3) ]');
    const trees: Expr[] = [];
    const run = () => {
      const cache = diskParseCache(cacheDir);
      const ev = createEvaluator({ cwd: dir, parseFile: (t, f) => { const e = through(cache)(t, f); trees.push(e); return e; } });
      return ev.printValue(ev.evalFile(file), { strict: true });
    };
    expect(run()).toBe('[ 2 4 12 ]');
    expect(run()).toBe('[ 2 4 12 ]');
    // Not on the first run either (the tree just parsed is the one decoded from its new entry).
    expect(bodyIfRead(functionsRead(trees[0]!).find((f) => f.name === 'unused')!)).toBeUndefined();
    const read = functionsRead(trees[1]!);
    const byName = (name: string) => read.find((f) => f.name === name)!;
    expect(bodyIfRead(byName('unused'))).toBeUndefined();
    expect(bodyIfRead(byName('used'))?.kind).toBe('binop');
    expect(bodyIfRead(byName('twice'))?.kind).toBe('lambda');
    // Compiled lazily: the variables of a body not compiled are not resolved; those of a called one are.
    const vars = (e: Expr): Array<{ resolved?: unknown }> => (e.kind === 'binop' ? [e.left, e.right].filter((x) => x.kind === 'var') : []);
    expect(vars(bodyIfRead(byName('used'))!).every((v) => v.resolved !== undefined)).toBe(true);
  });

  test('errors raised in bodies compiled when called have the same message, place and trace', () => {
    const file = join(dir, 'f.nix');
    const cacheDir = join(dir, 'syntax');
    writeFileSync(file, 'let lib = { add = a: b: a + b; wrap = { x ? 1 }: lib.add x "s"; }; in lib.wrap { }');
    const failure = (parseFile?: (t: string, f: string) => Expr) => {
      const ev = createEvaluator({ cwd: dir, parseFile });
      try {
        ev.printValue(ev.evalFile(file), { strict: true });
      } catch (e) {
        if (!(e instanceof NixError)) throw e;
        const place = (s?: { line: number; column: number }) => s && `${s.line}:${s.column}`;
        return { message: e.message, at: place(e.span), trace: e.trace.map((t) => `${t.message} ${place(t.span)}`) };
      }
      return undefined;
    };
    const without = failure();
    expect(without?.message).toMatch(/cannot add a string to an integer/);
    for (let i = 0; i < 3; i++) expect(failure(through(diskParseCache(cacheDir)))).toEqual(without);
  });

  test('an undefined variable in a function never called is reported on every run', () => {
    const file = join(dir, 'bad.nix');
    const cacheDir = join(dir, 'syntax');
    writeFileSync(file, 'let f = x: notDefined; in 1');
    for (let i = 0; i < 3; i++) expect(() => evaluate(file, cacheDir)).toThrow(/undefined variable 'notDefined'/);
    // Also deep in functions inside functions, and from a file whose tree is read back from the cache.
    writeFileSync(file, 'let f = { a }: b: let g = c: [ c (with a; x) notDefinedEither ]; in g; in 1');
    for (let i = 0; i < 3; i++) expect(() => evaluate(file, cacheDir)).toThrow(/undefined variable 'notDefinedEither'/);
    expect(readdirSync(cacheDir).filter((n) => !n.endsWith('.compiles'))).toHaveLength(2);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.compiles'))).toHaveLength(0);
  });
});

describe('functions read back from the cache', () => {
  const text = 'let id = x: x; add = a: b: a + b; cfg = { on ? true, ... }@args: if on then args else { }; unused = z: z.a.b; in [ (id 1) (add 2 3) ]';

  /** The tree as a second run reads it from the cache. */
  const readBack = (): Expr => {
    const cache = diskParseCache(mkdtempSync(join(tmpdir(), 'tsportable-lazy-lambdas-')));
    cache.parse(text, '/f.nix', opts);
    return cache.parse(text, '/f.nix', opts);
  };

  test('a body is read when first asked for, once; a body that is a function is read with its function', () => {
    const tree = readBack();
    const fns = functionsRead(tree);
    // id, add, add's `b: a + b` (read with add), cfg, unused: only the curried one's body is at hand.
    expect(fns).toHaveLength(5);
    expect(fns.filter((f) => bodyIfRead(f) !== undefined).map((f) => f.param)).toEqual(['a']);
    const unused = fns.find((f) => f.param === 'z')!;
    expect(unused.name).toBe('unused');
    const body = unused.body;
    expect(body.kind).toBe('select');
    expect(unused.body).toBe(body);
    expect(bodyIfRead(unused)).toBe(body);
    // Formals and names are there without the body.
    const cfg = fns.find((f) => f.param === 'args')!;
    expect(bodyIfRead(cfg)).toBeUndefined();
    expect(cfg.formals?.entries.map((f) => f.name)).toEqual(['on']);
    expect(cfg.name).toBe('cfg');
  });

  test('read in full, it is the tree lowering gives', () => {
    expect(shape(readBack())).toEqual(shape(parseNix(text, '/f.nix', opts)));
  });
});

describe('sets of literals read back from the cache', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tsportable-literal-sets-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const LITERALS = `{
  a = 1; b = -2; big = 9223372036854775807; f = 1.5e3; g = .25;
  s = "x\\ty\${"$"}"; i = ''
    indented
      text ''$ '''
  ''; p = ./sub/../file; "" = "empty name"; "with space" = [ ];
  l = [ 1 "two" [ 3 [ ] ] { four = 4; } ./p ];
  n = { m = { o = "deep"; q = [ { r = 1; } ]; }; e = { }; };
  u = { a = 1; b = 2; }; v = { a = 3; b = 4; }; w = { b = 5; a = 6; }; x = { a = 7; }; y = { a = 8; b = 9; };
}
`;

  test('give the values, laziness and positions a tree gives', () => {
    const file = join(dir, 'literals.nix');
    writeFileSync(file, LITERALS);
    const cacheDir = join(dir, 'syntax');
    const exprs = [
      `import ${file}`,
      `builtins.attrNames (import ${file})`,
      `(import ${file}).n`,
      `(import ${file}).l`,
      `builtins.unsafeGetAttrPos "o" (import ${file}).n.m`,
      `builtins.unsafeGetAttrPos "with space" (import ${file})`,
      `builtins.toJSON (import ${file}).n`,
      // Sets of the same names, one after another, and of other names.
      `let s = import ${file}; in map (n: [ s.\${n} (builtins.unsafeGetAttrPos "a" s.\${n}) ]) [ "w" "v" "x" "y" "u" ]`,
    ];
    const results = (cache: ParseCache | undefined, strict: boolean) => exprs.map((e) => {
      const ev = createEvaluator({ cwd: dir, parseFile: cache && through(cache) });
      return ev.printValue(ev.evalExpr(e, dir), { strict });
    });
    for (const strict of [false, true]) {
      const without = results(undefined, strict);
      expect(results(diskParseCache(cacheDir), strict)).toEqual(without); // written
      expect(results(diskParseCache(cacheDir), strict)).toEqual(without); // read back
    }
    expect(results(undefined, false)[0]).toContain('n = <CODE>;');
  });

  test('a set of literals is decoded only when its tree is asked for, and is then the tree', () => {
    const file = join(dir, 'literals.nix');
    writeFileSync(file, LITERALS);
    const cache = diskParseCache(join(dir, 'syntax'));
    const lowered = cache.parse(LITERALS, file, opts);
    const read = cache.parse(LITERALS, file, opts);
    expect(read.kind).toBe('attrs');
    expect(shape(read)).toEqual(shape(lowered));
  });
});
