/**
 * The printer (src/eval/print.ts) beyond what the differential cases check
 * against Nix: cycles (against Nix too), a set printed or walked before is not «repeated» in a later
 * print (its mark is that walk's), the text of a large value is made in
 * chunks that join to the same text, and a foreign value's text (printed by
 * the hook, after the rest) lands in its place among the chunks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEvaluator } from '../../src/eval/index.js';
import { nixPrint } from './nix.js';
import { printValue, printValueChunks } from '../../src/eval/print.js';
import { type Foreign, type Lazy, NixList, NixAttrs } from '../../src/eval/value/index.js';
import { setHooks, resetHooks } from '../../src/eval/value/hooks.js';

const dir = path.dirname(fileURLToPath(import.meta.url));

describe('«repeated» within one print only', () => {
  const ev = createEvaluator({ cwd: dir });

  test.each([
    'let s = { a = s; b = [ s ]; }; in s', 'let x = [ x ]; in x', 'let x = { a = [ x ]; }; in [ x x.a ]',
  ])('a cycle, as nix-instantiate --eval --strict prints it: %s', async (expr) => {
    expect(ev.printValue(ev.evalExpr(expr, dir), { strict: true })).toBe(await nixPrint(expr, dir));
  });

  test('a value printed twice prints the same both times', () => {
    const v = ev.evalExpr('let s = { a = { b = 1; }; l = [ 2 ]; }; in { x = s; y = s; }', dir);
    const first = ev.printValue(v, { strict: true });
    expect(first).toBe('{ x = { a = { b = 1; }; l = [ 2 ]; }; y = «repeated»; }');
    expect(ev.printValue(v, { strict: true })).toBe(first);
    expect(ev.printValue(v)).toBe(first);
  });

  test('a set walked deeply before (deepSeq, --strict) is printed in full', () => {
    const v = ev.evalExpr('let s = { a = { b = [ 1 ]; }; }; in builtins.deepSeq s s', dir);
    ev.forceDeep(v);
    expect(ev.printValue(v, { strict: true })).toBe('{ a = { b = [ 1 ]; }; }');
  });

  test('a set met again inside the same print, after a deep walk of all of it', () => {
    const v = ev.evalExpr('let s = { a = { b = 1; }; }; in [ s.a s ]', dir);
    ev.forceDeep(v);
    expect(ev.printValue(v, { strict: true })).toBe('[ { b = 1; } { a = «repeated»; } ]');
  });
});

test('sets give their values in the order of their sorted names (what printing and deep walks read)', () => {
  const ev = createEvaluator({ cwd: dir });
  for (const expr of [
    '{ b = 1; a = 2; "é" = 3; c = 4; }', '{ b = 1; c = 2; } // { a = 3; }', 'builtins.listToAttrs [ { name = "z"; value = 1; } { name = "y"; value = 2; } ]',
    'let s = { b = 1; a = 2; }; in builtins.seq (builtins.attrValues s) s',
  ]) {
    const v = ev.evalExpr(expr, dir) as NixAttrs;
    const names = v.sortedNames();
    expect(names.map((_, i) => v.sortedValue(i))).toEqual(names.map((n) => v.get(n)));
  }
});

describe('large values', () => {
  const ev = createEvaluator({ cwd: dir });
  const n = 20_000;
  const expected = `[ ${Array.from({ length: n }, (_, i) => `{ l = [ ${i} "a\\"b" ]; n = ${i}; "x y" = "\\\${${i}}"; }`).join(' ')} ]`;

  test('print in chunks that join to the whole text', () => {
    const v = ev.evalExpr(`builtins.genList (i: { n = i; l = [ i "a\\"b" ]; "x y" = "\\\${\${toString i}}"; }) ${n}`, dir);
    ev.forceDeep(v);
    const chunks = printValueChunks(v);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join('')).toBe(expected);
    expect(ev.printValue(v)).toBe(expected);
  });
});

describe('foreign values', () => {
  afterEach(() => resetHooks());

  const foreign = (id: number): Foreign => ({
    foreign: true,
    id,
    describe: () => `pkgs.f${id}`,
    select: () => undefined,
    hasAttr: () => undefined,
    apply: () => { throw new Error('not applied here'); },
    coerceToString: () => { throw new Error('not coerced here'); },
  });

  test('each one is printed by the hook, in printing order, where it was met', () => {
    const printed: string[][] = [];
    setHooks({ printForeign: (values, strict) => {
      printed.push(values.map((f) => `${f.describe()} ${strict}`));
      return values.map((f) => `<${f.describe()}>`);
    } });
    const many = Array.from({ length: 10_000 }, (_, i) => i);
    const v = new NixList([
      new NixList(many), foreign(1), NixAttrs.empty, new NixAttrs(new Map<string, Lazy>([['b', foreign(2)], ['a', new NixList(many)]])),
    ]);
    const list = `[ ${many.join(' ')} ]`;
    expect(printValue(v, true)).toBe(`[ ${list} <pkgs.f1> { } { a = ${list}; b = <pkgs.f2>; } ]`);
    expect(printed).toEqual([['pkgs.f1 true', 'pkgs.f2 true']]);
  });
});
