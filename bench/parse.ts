/**
 * Parse throughput: a generated nixpkgs-like file of 5,000+ lines (package
 * functions with trailing-comma formals, attribute sets, strings with
 * interpolation, indented scripts, lists, paths) parsed and lowered to the
 * AST; in the same run, as baselines, the parse alone through the
 * `tree-sitter` package (how files were parsed before the grammar binding
 * parsed them itself) and the binding's parse and copy of the tree alone.
 * Times are the fastest of several runs.
 */
import { parseFlatTree, parseNix, parseTree } from '../src/eval/syntax/parse.js';
import type { BenchRow } from './main.js';

function block(i: number): string {
  return `  pkg${i} = { stdenv, fetchurl, lib ? null, python3, }:
    stdenv.mkDerivation rec {
      pname = "pkg${i}";
      version = "1.${i}.0";
      src = fetchurl { url = "https://example.org/\${pname}-\${version}.tar.gz"; sha256 = "0000${i}"; };
      buildInputs = [ python3 stdenv.cc ] ++ lib.optional (${i} > 3) python3.pkgs.six;
      patches = [ ./patches/fix-${i}.patch ];
      postInstall = ''
        mkdir -p $out/share/doc
        cp -r docs/* $out/share/doc/ # \${pname}
        echo "${i}" > $out/version
      '';
      meta = with lib; { description = "Package number ${i}"; license = licenses.mit; platforms = platforms.linux; };
      passthru.tests = { inherit version; simple = if ${i} == 0 then null else version; };
    };
`;
}

export function generate(minLines: number): string {
  const parts: string[] = ['{ lib, ... }:\nlet\n  helpers = import ./helpers.nix { inherit lib; };\nin {\n'];
  let lines = 4;
  for (let i = 0; lines < minLines; i++) {
    const b = block(i);
    parts.push(b);
    lines += b.split('\n').length - 1;
  }
  parts.push('}\n');
  return parts.join('');
}

/** The fastest of `rounds` runs, in ms: the least disturbed by other work on the machine. */
function timeMs(fn: () => void, rounds: number): number {
  fn(); // warm-up
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

export async function bench(): Promise<BenchRow[]> {
  const text = generate(5000);
  const mb = Buffer.byteLength(text) / 1e6;
  const lines = text.split('\n').length;
  const full = timeMs(() => parseNix(text, '/bench/default.nix', { baseDir: '/bench' }), 15);
  const treeOnly = timeMs(() => parseTree(text), 15);
  const flatOnly = timeMs(() => parseFlatTree(text), 15);
  return [
    { name: 'parse+lower', value: +(mb / (full / 1000)).toFixed(2), unit: 'MB/s', note: `${lines} lines, ${(mb * 1000).toFixed(0)} kB, ${full.toFixed(1)} ms` },
    { name: 'tree-sitter package: parse only', value: +(mb / (treeOnly / 1000)).toFixed(2), unit: 'MB/s', note: `${treeOnly.toFixed(1)} ms (baseline, same run)` },
    { name: 'parse+lower / package parse only', value: +(full / treeOnly).toFixed(2), unit: 'x' },
    { name: 'grammar binding: parse and flat copy only', value: +(mb / (flatOnly / 1000)).toFixed(2), unit: 'MB/s', note: `${flatOnly.toFixed(1)} ms` },
    { name: 'parse+lower / binding parse only', value: +(full / flatOnly).toFixed(2), unit: 'x' },
  ];
}
