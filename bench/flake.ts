/**
 * `tsportable show .#default` on examples/flake against `nix eval` of the
 * image's name (the least Nix computes to name the image), both with
 * tsportable's package set as the flake's nixpkgs input and both as the user
 * runs them: a fresh process each, alternating, median of several runs,
 * after one warm-up run each (which copies the flake's sources to the store).
 */
import { join } from 'node:path';
import { alternate, cli, outcome, root, runProcess, type Contender, type Timed } from './measure.js';
import type { BenchRow } from './main.js';

const runs = 7;

export async function bench(): Promise<BenchRow[]> {
  const cwd = join(root, 'examples', 'flake');
  const override = ['--override-input', 'nixpkgs', `path:${join(root, 'nix', 'pkgs')}`];
  const contenders: Contender[] = [
    { file: cli, args: ['show', '.#default', ...override], options: { cwd } },
    { file: 'nix', args: ['--extra-experimental-features', 'nix-command flakes', 'eval', '--offline', '--raw', ...override, '.#default.name'], options: { cwd } },
  ];
  for (const c of contenders) {
    const warmUp = await runProcess(c.file, c.args, c.options);
    if (warmUp.exitCode !== 0) throw new Error(`${c.file} ${c.args.join(' ')}: ${outcome(warmUp)}`);
  }
  const [show, nix] = await alternate(contenders, runs);
  const failed = (t: Timed) => (t.last.exitCode === 0 ? undefined : outcome(t.last));
  return [
    { name: 'tsportable show .#default (examples/flake)', value: show!.ms, unit: 'ms', note: failed(show!) },
    { name: 'nix eval .#default.name', value: nix!.ms, unit: 'ms', note: failed(nix!) },
    { name: 'show / nix eval', value: show!.ms / nix!.ms, unit: 'x' },
  ];
}
