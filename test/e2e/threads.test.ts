/**
 * Where the CLI evaluates (src/cli/launch.ts): in the main thread, and again
 * from the start in a big-stack worker when the main thread's stack runs out.
 * What the user sees must be what one run with a big stack gives: deep
 * evaluations succeed, and what the first run wrote before its stack ran out
 * (traces, the results of earlier -A paths) appears once, never the first
 * run's stack-overflow error.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsStackTrace, tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();
let cwd: string;
let cacheDir: string;

/** Nesting far beyond what the main thread's stack holds (about 1,000 Nix calls), well within Nix's 10,000. */
const deep = 'let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 6000';

beforeAll(async () => {
  cwd = await ws.dir('threads');
  cacheDir = await ws.dir('cache');
  await writeFile(join(cwd, 'two.nix'), `{ shallow = builtins.trace "shallow" 1; deep = builtins.trace "deep" (${deep}); }\n`);
});

const run = (args: readonly string[]) => tsportable(['eval', ...args], { cwd, cacheDir });

test('a shallow evaluation', async () => {
  const r = await run(['-E', '1 + 2']);
  expect(r).toEqual({ exitCode: 0, stdout: '3\n', stderr: '' });
});

test('a deep evaluation succeeds, its traces written once, in order', async () => {
  const r = await run(['-E', `builtins.trace "before" (builtins.seq (${deep}) (builtins.trace "after" 42))`]);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toBe('42\n');
  expect(r.stderr).toBe('trace: before\ntrace: after\n');
});

test('output of an earlier -A path is written once when a later one needs the big stack', async () => {
  const r = await run(['two.nix', '-A', 'shallow', '-A', 'deep']);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toBe('1\n6000\n');
  expect(r.stderr).toBe('trace: shallow\ntrace: deep\n');
});

test('recursion beyond Nix\'s max-call-depth: Nix\'s error, once', async () => {
  const r = await run(['-E', 'let f = x: f x; in f 1']);
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.match(/^error:/gm)).toEqual(['error:']);
  expect(r.stderr).toContain('stack overflow; max-call-depth exceeded');
  expect(r.stderr).not.toMatch(jsStackTrace);
});
