/**
 * `tsportable show` on the demo against `nix-instantiate --eval` of the same
 * file with the same package set (test/fixtures/nixpkgs), both as the user
 * runs them: a fresh process each, alternating, median of several runs.
 * Goal: at most 2x nix-instantiate of the file.
 */
import { join } from 'node:path';
import { alternate, cli, loadAverage, root } from './measure.js';
import type { BenchRow } from './main.js';

const enum Tuning {
  Runs = 7,
  /** The most show may take, in multiples of nix-instantiate of the same file. */
  Goal = 2,
}

export async function bench(): Promise<BenchRow[]> {
  const before = loadAverage();
  const file = join(root, 'examples/demo/default.nix');
  const include = `nixpkgs=${join(root, 'test/fixtures/nixpkgs')}`;
  // The image's name and its units' text: what `show` prints, computed by Nix.
  const nixExpr = `let i = import ${file} {}; in [ i.name ]`;
  const [show, nix, drv] = await alternate([
    { file: cli, args: ['show', file, '-I', include] },
    { file: 'nix-instantiate', args: ['--eval', '--strict', '-I', include, '-E', nixExpr] },
    { file: 'nix-instantiate', args: ['-I', include, file] },
  ], Tuning.Runs);
  return [
    { name: 'tsportable show demo', value: show!.ms, unit: 'ms' },
    { name: 'nix-instantiate --eval (image name)', value: nix!.ms, unit: 'ms' },
    { name: 'nix-instantiate (derivation, baseline)', value: drv!.ms, unit: 'ms' },
    { name: 'show / nix --eval', value: show!.ms / nix!.ms, unit: 'x' },
    { name: 'show / nix-instantiate', value: show!.ms / drv!.ms, unit: 'x', goal: Tuning.Goal },
    { name: 'load average (1 min), after', value: Number(loadAverage()), unit: '', note: `before: ${before}` },
  ];
}
