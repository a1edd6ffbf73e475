/**
 * A search path entry that names nixpkgs but does not exist (a typo in `-I`
 * or NIX_PATH) is what Nix makes of it: a warning that the entry does not
 * exist, then `<nixpkgs>` fails with Nix's error, compared with the real
 * nix-instantiate. tsportable's own package set stands in, with its notice,
 * only when no entry names nixpkgs at all.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { examplesDir, jsStackTrace, tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();
let cwd: string;
let cacheDir: string;

beforeAll(async () => {
  cwd = await ws.dir('search-path');
  cacheDir = await ws.dir('cache');
});

const missingWarning = "warning: Nix search path entry '/nonexistent' does not exist, ignoring";
const notFound = "error: file 'nixpkgs' was not found in the Nix search path (add it using $NIX_PATH or -I)";
const notice = /<nixpkgs> is not on the search path; using tsportable's own package set/;

async function nixInstantiate(args: readonly string[], env: Record<string, string> = {}) {
  const r = await execa('nix-instantiate', args, { cwd, reject: false, env });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

test('-I nixpkgs=/nonexistent: the warning, then <nixpkgs> fails, as with nix-instantiate', async () => {
  const expr = ['-E', '<nixpkgs>', '-I', 'nixpkgs=/nonexistent'];
  const nix = await nixInstantiate(['--eval', ...expr]);
  const ours = await tsportable(['eval', ...expr], { cwd, cacheDir });
  for (const r of [nix, ours]) {
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines.slice(0, 2)).toEqual([missingWarning, notFound]);
  }
  expect(ours.stderr).not.toMatch(notice);
});

test('the warning comes once per entry, however many lookups go through it, as in Nix', async () => {
  const expr = ['--strict', '-I', 'nixpkgs=/nonexistent', '-E', '[ (builtins.tryEval <nixpkgs>) (builtins.tryEval <nixpkgs/lib>) ]'];
  const nix = await nixInstantiate(['--eval', ...expr]);
  const ours = await tsportable(['eval', ...expr], { cwd, cacheDir });
  expect(ours.stdout.trim()).toBe(nix.stdout.trim());
  expect(ours.stderr).toBe(`${missingWarning}\n`);
  expect(nix.stderr).toBe(missingWarning);
});

test('build with NIX_PATH=nixpkgs=/nonexistent: no switch to the own package set; Nix\'s error at <nixpkgs> in the file, no result', async () => {
  const file = join(examplesDir, 'demo', 'default.nix');
  const r = await tsportable(['build', file], { cwd, cacheDir, env: { NIX_PATH: 'nixpkgs=/nonexistent' } });
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(missingWarning);
  expect(r.stderr).toContain(notFound);
  expect(r.stderr).toMatch(new RegExp(`at ${file.replace(/[.]/g, '\\.')}:\\d+:\\d+:`));
  expect(r.stderr).not.toMatch(notice);
  expect(r.stderr).not.toMatch(jsStackTrace);
  expect(existsSync(join(cwd, 'result'))).toBe(false);
});

test('without any nixpkgs entry the own package set stands in, with its notice (a plain entry without nixpkgs in it changes nothing)', async () => {
  const demo = join(examplesDir, 'demo');
  for (const args of [['show', demo], ['show', demo, '-I', cwd]]) {
    const r = await tsportable(args, { cwd, cacheDir, env: { NIX_PATH: '' } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(notice);
    expect(r.stdout).toMatch(/^Image demo_1\.0\.raw$/m);
  }
});
