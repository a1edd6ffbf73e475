/**
 * `tsportable show` on the demo against `nix-instantiate --eval` of the same
 * file with the same package set (test/fixtures/nixpkgs), both as the user
 * runs them: a fresh process each, median of several runs.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import type { BenchRow } from './main.js';

const runs = 7;

async function median(cmd: string, args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await execa(cmd, args, { cwd: packageRoot, env: { NIX_PATH: '' } });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

export async function bench(): Promise<BenchRow[]> {
  const file = join(packageRoot, 'examples/demo/default.nix');
  const include = `nixpkgs=${join(packageRoot, 'test/fixtures/nixpkgs')}`;
  const show = await median(process.execPath, [join(packageRoot, 'bin/tsportable.js'), 'show', file, '-I', include]);
  // The image's name and its units' text: what `show` prints, computed by Nix.
  const nixExpr = `let i = import ${file} {}; in [ i.name ]`;
  const nix = await median('nix-instantiate', ['--eval', '--strict', '-I', include, '-E', nixExpr]);
  const drv = await median('nix-instantiate', ['-I', include, file]);
  return [
    { name: 'tsportable show demo', value: show, unit: 'ms' },
    { name: 'nix-instantiate --eval (image name)', value: nix, unit: 'ms' },
    { name: 'nix-instantiate (derivation)', value: drv, unit: 'ms' },
    { name: 'show / nix --eval', value: show / nix, unit: 'x' },
    { name: 'show / nix-instantiate', value: show / drv, unit: 'x' },
  ];
}
