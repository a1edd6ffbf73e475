/**
 * Locking as `nix build` does before evaluating (no Nix process here: only
 * local inputs are locked anew): entries kept while flake.nix names the same
 * reference, `follows` (from the flake, from a flake's overrides of its
 * inputs' inputs), `--override-input` with nested names, relative and
 * `flake = false` inputs, and the errors for what only `nix flake lock` can do.
 */
import { join } from 'node:path';
import { createEvaluator } from '../../src/eval/index.js';
import { readFlakeFile } from '../../src/flake/flakeFile.js';
import { findInput, isFollows, joinFlakeDir, lockFlake, type LockGraph, type LockedInput } from '../../src/flake/lock.js';
import { readLockFile } from '../../src/flake/lockFile.js';
import { parseInputUrl, type InputAttrs } from '../../src/flake/ref.js';
import { pathTree } from '../../src/flake/tree.js';
import { standIn, useTempDir, writeTree } from './harness.js';

const tmp = useTempDir('lock');
const ev = createEvaluator({ cwd: '/' });

function lockDir(dir: string, overrides: Record<string, string> = {}): LockGraph {
  const readFlake = (path: string, name: string, lockRoot: readonly string[]) => readFlakeFile(path, ev.evalFile(path), name, lockRoot);
  const o = new Map<string, InputAttrs>(Object.entries(overrides).map(([k, v]) => [k, parseInputUrl(v)]));
  return lockFlake({
    tree: pathTree(dir), flakeDir: '', name: `path:${dir}`, flake: readFlake(join(dir, 'flake.nix'), `path:${dir}`, []),
    lockFile: readLockFile(join(dir, 'flake.lock')), lockFilePath: join(dir, 'flake.lock'),
  }, { readFlake, overrides: o, standInDir: standIn, notice: () => undefined });
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message + ((e as { hints?: string[] }).hints ?? []).map((h) => `\n${h}`).join('');
  }
  throw new Error('expected an error');
}

const outputs = (names: string) => `outputs = { self, ${names} }: { };`;

test('local inputs without a lock file: locked from their directories, follows resolved through the graph', () => {
  const tools = writeTree(tmp.dir('a/tools'), { 'flake.nix': `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-22.05"; ${outputs('nixpkgs')} }` });
  const dir = writeTree(tmp.dir('a/top'), {
    'flake.nix': `{
      inputs.nixpkgs.url = "path:${standIn}";
      inputs.tools = { url = "path:${tools}"; inputs.nixpkgs.follows = "nixpkgs"; };
      ${outputs('nixpkgs, tools')}
    }`,
  });
  const g = lockDir(dir);
  const nixpkgs = findInput(g, ['nixpkgs'])!;
  expect(nixpkgs.source.kind).toBe('tree');
  expect(nixpkgs.locked.get('path')).toBe(standIn);
  expect(nixpkgs.locked.get('narHash')).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
  // tools' own github nixpkgs is never locked: it follows the top-level one.
  expect(findInput(g, ['tools'])!.inputs.get('nixpkgs')).toEqual(['nixpkgs']);
  expect(findInput(g, ['tools', 'nixpkgs'])).toBe(nixpkgs);
});

test('a lock entry is kept while flake.nix names the same reference; a changed or missing one needs `nix flake lock`', () => {
  const entry = {
    locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'c'.repeat(40), narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', lastModified: 1700000000 },
    original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-23.11' },
  };
  const lockText = JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { nixpkgs: 'nixpkgs' } }, nixpkgs: entry } });
  const kept = writeTree(tmp.dir('b/kept'), { 'flake.nix': `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-23.11"; ${outputs('nixpkgs')} }`, 'flake.lock': lockText });
  const n = findInput(lockDir(kept), ['nixpkgs'])!;
  expect(n.source.kind).toBe('locked');
  expect(n.locked.get('rev')).toBe('c'.repeat(40));

  const stale = writeTree(tmp.dir('b/stale'), { 'flake.nix': `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05"; ${outputs('nixpkgs')} }`, 'flake.lock': lockText });
  expect(errorOf(() => lockDir(stale))).toMatch(
    /^the flake input 'nixpkgs' \(github:NixOS\/nixpkgs\/nixos-24.05\) has changed since flake.lock was written, and tsportable only locks local paths\nrun 'nix flake lock' in .* or add --override-input nixpkgs PATH \(path:.*\/nix\/pkgs is tsportable's own package set\)$/);

  const unlocked = writeTree(tmp.dir('b/unlocked'), { 'flake.nix': `{ ${outputs('nixpkgs')} }` });
  expect(errorOf(() => lockDir(unlocked))).toMatch(/^the flake input 'nixpkgs' \(flake:nixpkgs\) is not in a lock file \(the flake has no flake.lock\)/);
});

test('--override-input replaces an input (the original reference is kept), and `a/b` names an input of an input', () => {
  const tools = writeTree(tmp.dir('c/tools'), { 'flake.nix': `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-22.05"; ${outputs('nixpkgs')} }` });
  const dir = writeTree(tmp.dir('c/top'), {
    'flake.nix': `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-23.11"; inputs.tools.url = "path:${tools}"; ${outputs('nixpkgs, tools')} }`,
  });
  const g = lockDir(dir, { nixpkgs: `path:${standIn}`, 'tools/nixpkgs': `path:${standIn}` });
  const top = findInput(g, ['nixpkgs'])!;
  expect(top.locked.get('path')).toBe(standIn);
  expect(top.original.get('type')).toBe('github');
  const nested = findInput(g, ['tools', 'nixpkgs'])!;
  expect(nested.locked.get('path')).toBe(standIn);
  expect(nested).not.toBe(top);
});

test('relative and `flake = false` inputs; a follows to nothing is an error', () => {
  const dir = writeTree(tmp.dir('d/top'), {
    'flake.nix': `{ inputs.sub.url = "path:./sub"; inputs.data = { url = "path:./data"; flake = false; }; ${outputs('sub, data')} }`,
    'sub/flake.nix': `{ ${outputs('')} }`.replace('self, ', 'self'),
    'data/unit.service': '[Service]\n',
  });
  const g = lockDir(dir);
  const sub = findInput(g, ['sub'])!;
  expect(sub.source).toEqual({ kind: 'relative', parent: [] });
  const data = findInput(g, ['data'])!;
  expect(data.isFlake).toBe(false);

  const broken = writeTree(tmp.dir('d/broken'), {
    'flake.nix': `{ inputs.a = { url = "path:./a"; inputs.x.follows = "nowhere"; }; ${outputs('a')} }`,
    'a/flake.nix': `{ inputs.x.url = "path:./x"; ${outputs('x')} }`,
    'a/x/flake.nix': '{ outputs = { self }: { }; }',
  });
  expect(errorOf(() => lockDir(broken))).toBe("input 'a/x' follows a non-existent input 'nowhere'");
});

test('the lock of a local input is its own flake.lock: its kept entries come along', () => {
  const entry = {
    locked: { type: 'github', owner: 'numtide', repo: 'flake-utils', rev: 'd'.repeat(40), narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
    original: { type: 'github', owner: 'numtide', repo: 'flake-utils' },
  };
  const dep = writeTree(tmp.dir('e/dep'), {
    'flake.nix': `{ inputs.utils.url = "github:numtide/flake-utils"; ${outputs('utils')} }`,
    'flake.lock': JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { utils: 'utils' } }, utils: entry } }),
  });
  const dir = writeTree(tmp.dir('e/top'), { 'flake.nix': `{ inputs.dep.url = "path:${dep}"; ${outputs('dep')} }` });
  const utils = findInput(lockDir(dir), ['dep', 'utils']) as LockedInput;
  expect(utils.source.kind).toBe('locked');
  expect(utils.locked.get('rev')).toBe('d'.repeat(40));
  expect(isFollows(utils)).toBe(false);
});

test('a relative input is a directory of its parent\'s source, never outside it', () => {
  expect(joinFlakeDir('', './sub', 'x')).toBe('sub');
  expect(joinFlakeDir('a/b', '../c/', 'x')).toBe('a/c');
  expect(joinFlakeDir('a', '..', 'x')).toBe('');
  expect(() => joinFlakeDir('a', '../../up', "the flake input 'up'")).toThrow("the relative path '../../up' of the flake input 'up' leaves its flake's source tree");
  expect(() => joinFlakeDir('', '..', 'x')).toThrow(/leaves its flake's source tree/);
});
