/**
 * Builtins that Debian's Nix 2.8 lacks or where current Nix behaves
 * differently, against current Nix's documented behaviour (its manual and
 * its language tests, tests/functional/lang in NixOS/nix, quoted here).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tsError, tsJson, tsPrint } from './tsEval.js';
import { diagnostics } from '../../src/eval/builtins/control.js';
import { evalSettings } from '../../src/eval/settings.js';

/** Captures what builtins write to stderr while `f` runs. */
function captureStderr(f: () => void): string[] {
  const lines: string[] = [];
  const saved = diagnostics.write;
  diagnostics.write = (l) => { lines.push(l); };
  try {
    f();
  } finally {
    diagnostics.write = saved;
  }
  return lines;
}

describe('builtins of current Nix', () => {
  test('the builtins set lists what current Nix lists without experimental features', () => {
    const names = tsJson('builtins.attrNames builtins') as string[];
    for (const n of ['warn', 'convertHash', 'readFileType', 'addDrvOutputDependencies', 'traceVerbose', 'fromTOML',
      'genericClosure', 'zipAttrsWith', 'groupBy', 'ceil', 'floor', 'unsafeGetAttrPos', 'nixPath', 'derivation', 'true']) {
      expect(names).toContain(n);
    }
    // Internal or experimental in current Nix, so absent from a default `builtins`.
    for (const n of ['outputOf', 'importNative', 'exec', 'fetchFinalTree', 'getFlake']) expect(names).not.toContain(n);
    expect(tsJson('[ (__add 1 2) (map (x: x) [ 1 ]) (isNull null) (removeAttrs { a = 1; } [ "a" ]) ]')).toEqual([3, [1], true, {}]);
  });

  test('nixVersion is a current release, langVersion 6, so version checks pass', () => {
    expect(tsJson('builtins.compareVersions builtins.nixVersion "2.18"')).toBe(1);
    expect(tsJson('builtins.langVersion')).toBe(6);
  });

  test('warn prints "evaluation warning:", aligning continuation lines; traceVerbose is silent by default', () => {
    const lines = captureStderr(() => {
      expect(tsJson('builtins.warn "foo\\nbar" 1')).toBe(1);
      expect(tsJson('builtins.warn "\\nfoo" 2')).toBe(2);
      expect(tsJson('builtins.traceVerbose "hidden" 3')).toBe(3);
      expect(tsJson('builtins.trace { a = 1; } 4')).toBe(4);
    });
    expect(lines).toEqual(['evaluation warning: foo\n                    bar', 'evaluation warning:\nfoo', 'trace: { a = 1; }']);
    // Nix's lang.sh checks these two renderings of values that are being evaluated.
    const traced = captureStderr(() => {
      tsJson('let x = builtins.trace { x = x; } true; in x');
      tsJson('let x = { repeating = x; tracing = builtins.trace x true; }; in x.tracing');
    });
    expect(traced).toEqual([
      'trace: { x = «potential infinite recursion»; }',
      'trace: { repeating = «repeated»; tracing = «potential infinite recursion»; }',
    ]);
    expect(tsError('builtins.warn 1 2')).toBe('error: expected a string but found an integer: 1');
  });

  test('replaceStrings forces a replacement only when it is used', () => {
    expect(tsJson('builtins.replaceStrings [ "x" ] [ (throw "unused") ] "abc"')).toBe('abc');
  });

  test('convertHash between all formats (manual examples)', () => {
    const sha = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
    expect(tsJson(`builtins.convertHash { hash = "${sha}"; toHashFormat = "base16"; }`))
      .toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(tsJson(`builtins.convertHash { hash = "${sha}"; toHashFormat = "nix32"; }`))
      .toBe('0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73');
    expect(tsJson('builtins.convertHash { hash = "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"; hashAlgo = "sha256"; toHashFormat = "sri"; }'))
      .toBe(sha);
    expect(tsJson('builtins.convertHash { hash = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; toHashFormat = "base64"; }'))
      .toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    const lines = captureStderr(() => {
      expect(tsJson(`builtins.convertHash { hash = "${sha}"; toHashFormat = "base32"; }`)).toBe('0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73');
    });
    expect(lines).toEqual(['warning: "base32" is a deprecated alias for hash format "nix32".']);
    expect(tsError('builtins.convertHash { hash = "abc"; hashAlgo = "sha256"; toHashFormat = "sri"; }'))
      .toBe("error: hash 'abc' has wrong length for hash algorithm 'sha256'");
  });

  test('readFileType does not follow the last symlink', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-ft-'));
    try {
      fs.writeFileSync(path.join(dir, 'f'), '');
      fs.symlinkSync('f', path.join(dir, 'l'));
      expect(tsJson(`map builtins.readFileType [ ${dir}/f ${dir}/l ${dir} ]`)).toEqual(['regular', 'symlink', 'directory']);
      expect(tsError(`builtins.readFileType ${dir}/missing`)).toBe(`error: path '${dir}/missing' does not exist`);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('string contexts: getContext / appendContext / addDrvOutputDependencies round trip', () => {
    const drv = '/nix/store/1vzhhir0l9yh5jrv4khif8mxj9aaaaaa-x.drv';
    const ctx = tsJson(`builtins.getContext (builtins.appendContext "s" { "${drv}" = { outputs = [ "out" "dev" ]; path = true; }; })`);
    expect(ctx).toEqual({ [drv]: { outputs: ['dev', 'out'], path: true } });
    expect(tsJson(`builtins.getContext (builtins.addDrvOutputDependencies (builtins.appendContext "s" { "${drv}" = { path = true; }; }))`))
      .toEqual({ [drv]: { allOutputs: true } });
    expect(tsJson(`builtins.getContext (builtins.unsafeDiscardOutputDependency (builtins.appendContext "s" { "${drv}" = { allOutputs = true; }; }))`))
      .toEqual({ [drv]: { path: true } });
    expect(tsJson(`builtins.hasContext (builtins.unsafeDiscardStringContext (builtins.appendContext "s" { "${drv}" = { path = true; }; }))`)).toBe(false);
    expect(tsError(`builtins.addDrvOutputDependencies (builtins.appendContext "s" { "${drv}" = { outputs = [ "out" ]; }; })`))
      .toBe("error: `addDrvOutputDependencies` can only act on derivations, not on a derivation output such as 'out'");
  });

  test('tryEval catches throw and assert only', () => {
    expect(tsJson('(builtins.tryEval (assert 1 == 2; 0)).success')).toBe(false);
    expect(tsError('builtins.tryEval (1 + "a")')).toBe('error: cannot add a string to an integer');
    expect(tsError('(builtins.tryEval (builtins.abort "x")).success')).toBe("error: evaluation aborted with the following error message: 'x'");
  });

  test('sort is stable, and a comparator that is not a strict order still yields a permutation', () => {
    expect(tsJson('map (x: x.v) (builtins.sort (a: b: a.k < b.k) (builtins.genList (i: { k = i - i / 3 * 3; v = i; }) 9))'))
      .toEqual([0, 3, 6, 1, 4, 7, 2, 5, 8]);
    const r = tsJson('builtins.sort (a: b: true) [ 3 1 2 5 4 ]') as number[];
    expect([...r].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  test("foldl' over 100,000 elements and genericClosure over a long chain do not exhaust the stack", () => {
    expect(tsJson("builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: 1) 100000)")).toBe(100000);
    expect(tsJson('builtins.length (builtins.genericClosure { startSet = [ { key = 0; } ]; operator = x: if x.key < 50000 then [ { key = x.key + 1; } ] else [ ]; })'))
      .toBe(50001);
  });

  test('deepSeq forces everything, and a structure nested deeper than max-call-depth is a stack overflow', () => {
    expect(tsError('builtins.deepSeq [ { a = throw "deep"; } ] 1')).toBe('error: deep');
    expect(tsJson('builtins.deepSeq (builtins.genList (i: { inherit i; }) 100000) 1')).toBe(1);
    expect(tsError("builtins.deepSeq (builtins.foldl' (tail: head: { inherit head tail; }) null (builtins.genList (x: x) 100000)) 1"))
      .toBe('error: stack overflow; max-call-depth exceeded');
  });

  test("deepSeq counts depth as current Nix's forceValueDeep: each value one level (a leaf too), below the calls that led to it", () => {
    const saved = evalSettings.maxCallDepth;
    evalSettings.maxCallDepth = 100;
    try {
      // `0` inside n lists: the innermost list is level n, the 0 level n + 1, checked as Nix checks (depth before it > 100).
      const nested = (n: number) => `(builtins.foldl' (inner: _: [ inner ]) 0 (builtins.genList (x: x) ${n}))`;
      expect(tsJson(`builtins.deepSeq ${nested(100)} 1`)).toBe(1);
      expect(tsError(`builtins.deepSeq ${nested(101)} 1`)).toBe('error: stack overflow; max-call-depth exceeded');
      // Called 51 calls deep, 60 levels are past 100; 30 are not.
      const within = (n: number) => `let f = d: if d == 0 then builtins.deepSeq ${nested(n)} 1 else f (d - 1); in f 50`;
      expect(tsJson(within(30))).toBe(1);
      expect(tsError(within(60))).toBe('error: stack overflow; max-call-depth exceeded');
    } finally {
      evalSettings.maxCallDepth = saved;
    }
  });

  test('functionArgs and unsafeGetAttrPos report source positions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-pos-'));
    try {
      fs.writeFileSync(path.join(dir, 'f.nix'), '{\n  a = 1;\n    b = 2;\n}\n');
      expect(tsJson(`builtins.unsafeGetAttrPos "b" (import ${dir}/f.nix)`)).toEqual({ file: `${dir}/f.nix`, line: 3, column: 5 });
      expect(tsJson('builtins.functionArgs ({ x, y ? 1 }: x)')).toEqual({ x: false, y: true });
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('toXML prints as nix-instantiate --xml', () => {
    expect(tsPrint('builtins.toXML { a = "x\\"<"; }')).toBe(
      '"<?xml version=\'1.0\' encoding=\'utf-8\'?>\\n<expr>\\n  <attrs>\\n    <attr name=\\"a\\">\\n      <string value=\\"x&quot;&lt;\\" />\\n    </attr>\\n  </attrs>\\n</expr>\\n"');
  });

  test('fromTOML timestamps are an error without the experimental feature', () => {
    expect(tsError('builtins.fromTOML "d = 1979-05-27"')).toBe('error: while parsing TOML: Dates and times are not supported');
  });
});
