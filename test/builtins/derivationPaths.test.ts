/**
 * Derivation paths computed without a store against real Nix, which writes
 * the same .drv files: plain and multi-output derivations, dependencies on
 * an output and on a .drv file itself, fixed-output derivations (whose hash
 * modulo is their content address), structured attrs, args with escapes,
 * bytes that are not UTF-8 (lone surrogates U+DC80–U+DCFF in the source here).
 * The bridge's hooks are replaced by the store-less ones for these tests.
 */
import { nixJsonBatch } from './nixOracle.js';
import { tsJson } from './tsEval.js';
import { setHooks, resetHooks } from '../../src/eval/value/hooks.js';
import { derivationValue, instantiateWithoutStore } from '../../src/eval/builtins/derivations.js';

const PRELUDE = String.raw`let
  mk = a: derivation ({ builder = "/bin/sh"; system = "x86_64-linux"; } // a);
  d = mk { name = "a"; args = [ "-c" "echo \"hi\"\n\ttab" ]; outputs = [ "out" "dev" ]; };
  e = mk { name = "b"; dep = d; devdep = d.dev; list = [ 1 "x" true null ]; };
  f = mk { name = "f"; outputHashMode = "recursive"; outputHashAlgo = "sha256"; outputHash = "0000000000000000000000000000000000000000000000000000"; };
  flat = mk { name = "flat"; outputHashAlgo = "sha1"; outputHash = "0000000000000000000000000000000000000000"; };
  g = mk { name = "g"; src = f; other = flat; };
  s = mk { name = "s"; __structuredAttrs = true; nested = { a = [ 1 2.5 "x" ]; b = d; }; };
  whole = mk { name = "whole"; ctx = builtins.unsafeDiscardOutputDependency d.drvPath; };
  bytes = mk { name = "bytes"; text = "caf${'\udce9'} é ${'\udcff'}"; args = [ "${'\udcc3'}" ]; "${'\udce9'}x" = "1"; "éx" = "2"; "${'\udc80'}" = "3"; };
in `;

const EXPRS = [
  '[ d.drvPath d.outPath d.dev.outPath ]',
  '[ e.drvPath e.outPath ]',
  '[ f.drvPath f.outPath flat.drvPath flat.outPath ]',
  '[ g.drvPath g.outPath ]',
  '[ s.drvPath s.outPath ]',
  '[ whole.drvPath whole.outPath ]',
  // Nix strings are bytes: attributes that are not UTF-8 go into the .drv as they are, names sorted by bytes.
  '[ bytes.drvPath bytes.outPath ]',
  '[ d.outputName d.dev.outputName d.type (builtins.length d.all) (d.drvAttrs.name) ]',
  'builtins.attrNames (builtins.getContext e.outPath)',
];

beforeAll(() => setHooks({ derivationStrict: instantiateWithoutStore, derivation: derivationValue }));
afterAll(() => resetHooks());

test('derivation paths agree with the .drv files Nix writes', async () => {
  const expected = await nixJsonBatch(EXPRS.map((e) => PRELUDE + e));
  EXPRS.forEach((e, i) => expect({ e, v: tsJson(PRELUDE + e) }).toEqual({ e, v: expected[i] }));
});
