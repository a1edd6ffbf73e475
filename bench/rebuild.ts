/**
 * A rebuild that changes nothing, as a user repeats it: `tsportable build` of
 * the demo when its image is already in tsportable's cache, against a no-op
 * `nix-build` of the same file (its image already in the Nix store), both
 * with the same package set (test/fixtures/nixpkgs), as fresh processes in a
 * scratch directory (each makes its own result link there), alternating, median
 * of several runs. One build of each fills both caches first, untimed.
 * Goal: at most 2x nix-build.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alternate, cli, loadAverage, outcome, root, runProcess } from './measure.js';
import type { BenchRow } from './main.js';

const enum Tuning {
  Runs = 9,
  /** The most a cached rebuild may take, in multiples of a no-op nix-build. */
  Goal = 2,
}

export async function bench(): Promise<BenchRow[]> {
  const before = loadAverage();
  const work = await mkdtemp(path.join(tmpdir(), 'tsportable-bench-rebuild-'));
  try {
    const file = path.join(root, 'examples/demo/default.nix');
    const include = ['-I', `nixpkgs=${path.join(root, 'test/fixtures/nixpkgs')}`];
    const options = { cwd: work, env: { TSPORTABLE_CACHE_DIR: path.join(work, 'cache') } };
    const ours = { file: cli, args: ['build', file, ...include, '-o', 'result-tsportable'], options };
    const nix = { file: 'nix-build', args: [...include, file, '-o', 'result-nix'], options };
    for (const first of [ours, nix]) {
      const r = await runProcess(first.file, first.args, first.options);
      if (r.exitCode !== 0) return [{ name: 'rebuild: skipped', value: 0, unit: 'runs', note: `${path.basename(first.file)} failed: ${outcome(r)}` }];
    }
    const [a, b] = await alternate([ours, nix], Tuning.Runs);
    const cached = a!.last.stdout.trim().startsWith(path.join(work, 'cache'));
    return [
      { name: 'nix-build, no-op (baseline)', value: b!.ms, unit: 'ms' },
      { name: 'tsportable build, cached', value: a!.ms, unit: 'ms', note: cached ? undefined : `not from the cache: ${outcome(a!.last).slice(0, 80)}` },
      { name: 'cached build / nix-build', value: a!.ms / b!.ms, unit: 'x', goal: Tuning.Goal },
      { name: 'load average (1 min), after', value: Number(loadAverage()), unit: '', note: `before: ${before}` },
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
