/**
 * examples/flake as the README runs it: a flake in this repository, with
 * tsportable's package set given as its nixpkgs input.
 */
import { examplesDir, tsportable } from '../e2e/cli.js';
import { standIn, useTempDir } from './harness.js';

const tmp = useTempDir('flake-example');

test("show './examples/flake#default' --override-input nixpkgs path:nix/pkgs", async () => {
  const r = await tsportable(['show', '--json', './flake#default', '--override-input', 'nixpkgs', `path:${standIn}`],
    { cwd: examplesDir, cacheDir: tmp.dir('cache') });
  expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' });
  const plan = JSON.parse(r.stdout) as { imageFileName: string; units: { name: string; text?: string }[]; osRelease: string };
  expect(plan.imageFileName).toBe('hello-flake_1.0.raw');
  expect(plan.units.map((u) => u.name)).toEqual(['hello-flake.service']);
  expect(plan.units[0]!.text).toContain('ExecStart=${pkgs.hello}/bin/hello');
  expect(plan.osRelease).toContain('PORTABLE_PRETTY_NAME=Greets whoever connects');
});
