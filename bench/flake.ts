/**
 * `tsportable show .#default` on examples/flake against `nix eval` of the
 * image's name (the least Nix computes to name the image), both with
 * tsportable's package set as the flake's nixpkgs input and both as the user
 * runs them: a fresh process each, median of several runs, after one warm-up
 * run each (which copies the flake's sources to the store).
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import type { BenchRow } from './main.js';

const runs = 7;

async function median(cmd: string, args: string[], cwd: string): Promise<number> {
  await execa(cmd, args, { cwd });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await execa(cmd, args, { cwd });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

export async function bench(): Promise<BenchRow[]> {
  const cwd = join(packageRoot, 'examples', 'flake');
  const override = ['--override-input', 'nixpkgs', `path:${join(packageRoot, 'nix', 'pkgs')}`];
  const show = await median(process.execPath, [join(packageRoot, 'bin/tsportable.js'), 'show', '.#default', ...override], cwd);
  const nix = await median('nix', ['--extra-experimental-features', 'nix-command flakes', 'eval', '--offline', '--raw', ...override, '.#default.name'], cwd);
  return [
    { name: 'tsportable show .#default (examples/flake)', value: show, unit: 'ms' },
    { name: 'nix eval .#default.name', value: nix, unit: 'ms' },
    { name: 'show / nix eval', value: show / nix, unit: 'x' },
  ];
}
