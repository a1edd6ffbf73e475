/**
 * Test support for flakes: temporary directories holding small flakes (files
 * given as a record of relative path → text), Git repositories made from
 * them, and `nix` with the flakes feature switched on for the call, offline.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa, execaSync } from 'execa';
import { packageRoot } from '../../src/paths.js';

export const standIn = join(packageRoot, 'nix', 'pkgs');
export const fixtureFlakes = join(packageRoot, 'test', 'fixtures', 'flakes');
export const flakeUtils = join(fixtureFlakes, 'flake-utils');

/** Writes `files` under `dir` (made as needed). */
export function writeTree(dir: string, files: Readonly<Record<string, string>>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** A fresh temporary directory for one test file, removed after it. */
export function useTempDir(prefix: string): { readonly path: string; dir(name: string): string } {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), `tsportable-${prefix}-`));
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  return {
    get path() { return root; },
    dir(name: string) {
      const d = join(root, name);
      mkdirSync(d, { recursive: true });
      return d;
    },
  };
}

/** Makes `dir` a Git repository (if it is not one) and commits everything at a fixed date (so lastModified is known). */
export function gitCommitAll(dir: string, date = '2024-01-02T03:04:05Z'): string {
  const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
  execaSync('git', ['init', '-q'], { cwd: dir });
  execaSync('git', ['add', '-A'], { cwd: dir });
  execaSync('git', ['commit', '-q', '--allow-empty', '-m', 'commit'], { cwd: dir, env });
  return execaSync('git', ['rev-parse', 'HEAD'], { cwd: dir }).stdout.trim();
}

/** Nix's flakes commands, offline, failing fast on a download (no network in tests). */
export const nixFlakeArgs = ['--extra-experimental-features', 'nix-command flakes', '--offline'];
export const offlineEnv = { NIX_CONFIG: 'substituters =\ndownload-attempts = 1' };

export async function nix(args: readonly string[], cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await execa('nix', [...args.slice(0, 1), ...nixFlakeArgs, ...args.slice(1)], { cwd, reject: false, env: offlineEnv });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** `nix eval --json INSTALLABLE`, parsed. */
export async function nixEvalJson(installable: string, cwd: string, extra: readonly string[] = []): Promise<unknown> {
  const r = await nix(['eval', '--json', ...extra, installable], cwd);
  if (r.exitCode !== 0) throw new Error(`nix eval ${installable} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
