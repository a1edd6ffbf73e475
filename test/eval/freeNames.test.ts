/**
 * compile/freeNames.ts against the compiler: a file compiles (every variable
 * bound) exactly when its free names outside `with` are all globals, and the
 * name compiling reports as undefined is among them. The walk decides whether
 * a file's functions are compiled when first called (interp/program.ts); one
 * name missed would hide Nix's parse-time "undefined variable" error.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freeNames } from '../../src/eval/compile/freeNames.js';
import { parseNix } from '../../src/eval/syntax/parse.js';
import { createEvaluator } from '../../src/eval/index.js';
import { diskParseCache } from '../../src/eval/syntax/parseCache.js';
import { packageRoot } from '../../src/paths.js';

const ev = createEvaluator({ cwd: '/' });

/** The undefined variable compiling `text` in full reports (the scope check of --parse), or undefined. */
function compileError(text: string, file = '/f.nix'): string | undefined {
  try {
    ev.parse(text, file, dirname(file));
    return undefined;
  } catch (e) {
    const m = /^undefined variable '(.*)'$/.exec((e as Error).message);
    if (!m) throw e;
    return m[1];
  }
}

const isGlobal = (name: string) => compileError(name) === undefined;

/** The free names of `text` that are not globals. */
function undefinedByWalk(text: string, file = '/f.nix'): string[] {
  return [...freeNames(parseNix(text, file, { baseDir: dirname(file) }))].filter((n) => !isGlobal(n)).sort();
}

/** Scoping rules, each with the names not defined in it. */
const CASES: Array<[string, string[]]> = [
  ['let f = x: y; in 1', ['y']],
  ['let f = x: x; in f', []],
  ['x: y: x y z', ['z']],
  ['let inherit x; in 1', ['x']],
  ['let a = 1; in let inherit a; in a', []],
  ['rec { inherit b; a = b; }', ['b']],
  ['let a = 1; in rec { inherit a; b = a; }', []],
  ['{ a = 1; b = a; }', ['a']],
  ['rec { a = 1; b = a; }', []],
  ['{ ${x} = 1; }', ['x']],
  ['rec { x = "n"; ${x} = x; }', []],
  ['{ x = "n"; ${x} = 1; }', ['x']],
  ['{ inherit (t) a; }', ['t']],
  ['rec { t = { a = 1; }; inherit (t) a; }', []],
  ['let inherit (t) a; t = { a = 1; }; in a', []],
  ['{ t = { }; inherit (t) a; }', ['t']],
  ['with { }; x', []],
  ['with x; y', ['x']],
  ['x: with x; y: z w', []],
  ['let f = with x; y; in f', ['x']],
  ['{ a ? b, b ? a }: a', []],
  ['{ a ? c }: a', ['c']],
  ['args@{ a ? args }: a', []],
  ['{ a, ... }@args: args.b or c', ['c']],
  ['<nixpkgs>', []],
  ['let __nixPath = [ ]; in <x>', []],
  ['__curPos', []],
  ['a.${b} or c', ['a', 'b', 'c']],
  ['x ? ${y}', ['x', 'y']],
  ['assert x; y', ['x', 'y']],
  ['if x then y else z', ['x', 'y', 'z']],
  ['-x + !y', ['x', 'y']],
  ['"${x} ${toString y}"', ['x', 'y']],
  ["''a ${x}''", ['x']],
  ['./a/${x}', ['x']],
  ['[ x 1 { a = y; } ]', ['x', 'y']],
  ['[ 1 "a" { b = [ 2 ]; } ]', []],
  ['let { body = x; }', ['x']],
  ['let { body = a; a = 1; }', []],
  ['builtins.map (x: x) [ true null map ]', []],
  ['{ a.b = x; }', ['x']],
  ['{ a = { b = 1; }; a.c = b; }', ['b']],
  ['rec { a.b = c; c = 1; }', []],
  ['{ a = { inherit x; }; }', ['x']],
  ['let f = { a }: b: let g = c: [ c (with a; x) notDefined ]; in g; in 1', ['notDefined']],
];

describe('free names', () => {
  test.each(CASES)('%s', (text, names) => {
    expect(undefinedByWalk(text)).toEqual(names);
    const error = compileError(text);
    if (names.length === 0) expect(error).toBeUndefined();
    else expect(names).toContain(error);
  });

  test('agree with compiling on every .nix file of the repository', () => {
    const files = execSync('git ls-files "*.nix"', { cwd: packageRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    let compared = 0;
    for (const rel of files) {
      const path = join(packageRoot, rel);
      const text = readFileSync(path, 'utf8');
      try {
        parseNix(text, path, { baseDir: dirname(path) });
      } catch {
        continue; // fixtures that are meant not to parse
      }
      const names = undefinedByWalk(text, path);
      const error = compileError(text, path);
      if (error === undefined) expect([rel, names]).toEqual([rel, []]);
      else expect(names).toContain(error);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });
});

describe('a file compiled lazily, without the parse cache', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tsportable-free-names-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('still reports an undefined variable in a function never called, when it is loaded', () => {
    const file = join(dir, 'f.nix');
    writeFileSync(file, '{ used = x: x; unused = y: notDefined; }');
    const fresh = createEvaluator({ cwd: dir });
    expect(() => fresh.printValue(fresh.evalExpr(`(import ${file}).used 1`, dir))).toThrow(/undefined variable 'notDefined'/);
  });

  test('gives the same results, errors and traces as with the parse cache', () => {
    const file = join(dir, 'f.nix');
    writeFileSync(file, 'let lib = { add = a: b: a + b; wrap = { x ? 1 }: lib.add x "s"; twice = f: x: f (f x); }; in { ok = lib.twice (lib.add 1) 2; bad = lib.wrap { }; }');
    const outcome = (parseFile?: (t: string, f: string) => ReturnType<typeof parseNix>) => {
      const fresh = createEvaluator({ cwd: dir, parseFile });
      const v = fresh.evalFile(file);
      const ok = fresh.printValue(fresh.evalExpr(`(import ${file}).ok`, dir));
      try {
        fresh.printValue(v, { strict: true });
        return [ok];
      } catch (e) {
        const err = e as Error & { span?: { line: number; column: number }; trace?: Array<{ message: string }> };
        return [ok, err.message, `${err.span?.line}:${err.span?.column}`, ...(err.trace ?? []).map((t) => t.message)];
      }
    };
    const plain = outcome();
    expect(plain[0]).toBe('4');
    expect(plain[1]).toMatch(/cannot add a string to an integer/);
    const cache = diskParseCache(join(dir, 'syntax'));
    const through = (t: string, f: string) => cache.parse(t, f, { baseDir: dirname(f) });
    expect(outcome(through)).toEqual(plain);
    expect(outcome(through)).toEqual(plain);
  });
});
