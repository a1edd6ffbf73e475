/**
 * What a user meets when a flake cannot be evaluated as it is: an input
 * missing from the store offline (one line naming it and the
 * --override-input that fixes it), a lock that is stale or missing for an
 * input only `nix flake lock` can lock, a stale lock of a local input (locked
 * again, as nix build does), Nix's refusals (--arg with a flake), an
 * untracked flake.nix, a miss with "did you mean". Exit 1, no JavaScript stack.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsStackTrace, tsportable, type CliRun } from '../e2e/cli.js';
import { gitCommitAll, nix, offlineEnv, useTempDir, writeTree } from './harness.js';

const tmp = useTempDir('flake-errors');

function run(args: string[], cwd: string): Promise<CliRun> {
  return tsportable(args, { cwd, cacheDir: tmp.dir('cache'), env: offlineEnv });
}

function expectUserError(r: CliRun, message: RegExp): void {
  expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 1, stdout: '' });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(jsStackTrace);
}

const nixpkgsLock = (narHash: string) => JSON.stringify({
  version: 7, root: 'root', nodes: {
    root: { inputs: { nixpkgs: 'nixpkgs' } },
    nixpkgs: {
      locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: '205fd4226592cc83fd4c0885a3e4c9c400efabb5', narHash, lastModified: 1720535198 },
      original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-23.11' },
    },
  },
});
const usesNixpkgs = (url: string) => `{
  inputs.nixpkgs.url = "${url}";
  outputs = { self, nixpkgs }: { packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.hello; };
}`;

test('an input not in the store, offline: one line naming it and the --override-input that gives it a copy', async () => {
  // A narHash no store path has: the input must be fetched, and there is no network.
  const dir = writeTree(tmp.dir('missing'), {
    'flake.nix': usesNixpkgs('github:NixOS/nixpkgs/nixos-23.11'),
    'flake.lock': nixpkgsLock('sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='),
  });
  const r = await run(['show', '.#default'], dir);
  expectUserError(r, /^error: the flake input 'nixpkgs' \(github:NixOS\/nixpkgs\/205fd4226592cc83fd4c0885a3e4c9c400efabb5\) is not in the Nix store and fetching it failed \(.+\); to use a local copy instead, add '--override-input nixpkgs \/path\/to\/nixpkgs' \(or 'path:\/.*\/nix\/pkgs' for tsportable's own package set\)\n$/);
  expect(r.stderr.split('\n')).toHaveLength(2);
});

test('an input that only `nix flake lock` can lock: stale or missing from the lock', async () => {
  const stale = writeTree(tmp.dir('stale'), {
    'flake.nix': usesNixpkgs('github:NixOS/nixpkgs/nixos-24.05'),
    'flake.lock': nixpkgsLock('sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='),
  });
  expectUserError(await run(['build', '.#default'], stale),
    /error: the flake input 'nixpkgs' \(github:NixOS\/nixpkgs\/nixos-24.05\) has changed since flake.lock was written.*\n.*hint: run 'nix flake lock' in /);
  const unlocked = writeTree(tmp.dir('unlocked'), { 'flake.nix': usesNixpkgs('github:NixOS/nixpkgs/nixos-24.05') });
  expectUserError(await run(['eval', '.#default.name'], unlocked),
    /the flake input 'nixpkgs' \(github:NixOS\/nixpkgs\/nixos-24.05\) is not in a lock file \(the flake has no flake.lock\)/);
});

test('a stale lock of a local input is locked again, as nix build does', async () => {
  const one = writeTree(tmp.dir('stale-local/one'), { 'version.txt': '1' });
  const two = writeTree(tmp.dir('stale-local/two'), { 'version.txt': '2' });
  const flake = (dataDir: string) => `{
    inputs.data = { url = "path:${dataDir}"; flake = false; };
    outputs = { self, data }: { version = builtins.readFile "\${data}/version.txt"; };
  }`;
  const dir = writeTree(tmp.dir('stale-local/flake'), { 'flake.nix': flake(one) });
  expect((await nix(['flake', 'lock'], dir)).exitCode).toBe(0);
  writeFileSync(join(dir, 'flake.nix'), flake(two));
  const ts = await run(['eval', '--json', '.#version'], dir);
  expect({ exitCode: ts.exitCode, stdout: ts.stdout }).toEqual({ exitCode: 0, stdout: '"2"\n' });
  const n = await nix(['eval', '--json', '.#version'], dir);
  expect(n.stdout).toBe('"2"');
});

test("Nix's refusals: --arg with a flake; and -A, --override-input where they do not apply", async () => {
  const dir = writeTree(tmp.dir('refusals'), { 'flake.nix': '{ outputs = { self }: { x = 1; }; }', 'default.nix': '1' });
  expectUserError(await run(['build', '.#x', '--arg', 'a', '1'], dir), /^error: '--arg' and '--argstr' are incompatible with flakes\nTry 'tsportable build --help' for more information\.\n$/);
  expectUserError(await run(['eval', '.#x', '--argstr', 'a', 'b'], dir), /'--arg' and '--argstr' are incompatible with flakes/);
  expectUserError(await run(['show', '.#x', '-A', 'y'], dir), /'-A' does not apply to a flake/);
  expectUserError(await run(['show', 'default.nix', '--override-input', 'nixpkgs', '/x'], dir), /'--override-input' applies to flakes only/);
});

test('a miss names the paths tried, with the close names', async () => {
  const dir = writeTree(tmp.dir('miss'), { 'flake.nix': '{ outputs = { self }: { packages.x86_64-linux.server = 1; }; }' });
  expectUserError(await run(['build', '.#sever'], dir),
    /^error: flake 'path:.*' does not provide attribute 'packages.x86_64-linux.sever', 'legacyPackages.x86_64-linux.sever' or 'sever'\n\s+hint: Did you mean server\?\n$/);
});

test('flake.nix untracked in a Git repository is not part of the flake', async () => {
  const dir = writeTree(tmp.dir('untracked'), { 'README': 'r' });
  gitCommitAll(dir);
  writeFileSync(join(dir, 'flake.nix'), '{ outputs = { self }: { x = 1; }; }');
  expectUserError(await run(['eval', '.#x'], dir), /path 'flake.nix' in the repository '.*' is not tracked by Git; add it with 'git add flake.nix'/);
});

test('an output that is not an image says what it is; no FILE and flake.nix name the flake too', async () => {
  const dir = writeTree(tmp.dir('not-image'), { 'flake.nix': '{ outputs = { self }: { packages.x86_64-linux.default = [ 1 2 3 ]; }; }' });
  const message = /error: flake output attribute 'packages.x86_64-linux.default' is a list of 3 elements, not a portable service image \(the result of pkgs.portableService\)\n$/;
  expectUserError(await run(['show', '.'], dir), new RegExp(`^${message.source}`));
  // Without ./default.nix, the directory's flake; flake.nix itself is its directory, with Nix's warning.
  expectUserError(await run(['show'], dir), message);
  const file = await run(['show', 'flake.nix'], dir);
  expectUserError(file, message);
  expect(file.stderr).toMatch(/^warning: Path '.*flake.nix' should point at the directory containing the 'flake.nix' file/);
});
