/**
 * Installables read as `nix build` reads them (no Nix needed): which
 * directory is the flake, whether its source is a Git repository's tracked
 * files (with the flake in a subdirectory) or a directory as it is, the
 * fragment, and which FILE arguments are flakes at all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NixError } from '../../src/eval/errors.js';
import { isFlakeArgument, parseInstallable } from '../../src/flake/index.js';
import { gitCommitAll, useTempDir, writeTree } from './harness.js';

const tmp = useTempDir('installable');
const flake = '{ outputs = { self }: { }; }\n';

function parse(arg: string, cwd: string) {
  const notices: string[] = [];
  const i = parseInstallable(arg, cwd, (m) => notices.push(m));
  return { ...i, notices };
}

test('`.`, `.#attr`, `DIR#attr`, `/abs#attr` of a plain directory are path flakes', () => {
  const dir = writeTree(tmp.dir('plain'), { 'flake.nix': flake });
  expect(parse('.', dir)).toMatchObject({ kind: 'path', root: dir, flakeDir: '', fragment: '', name: `path:${dir}` });
  expect(parse('.#a.b', dir)).toMatchObject({ root: dir, fragment: 'a.b' });
  expect(parse(`${dir}#x`, '/')).toMatchObject({ root: dir, fragment: 'x' });
  expect(parse('plain#default', tmp.path)).toMatchObject({ root: dir, fragment: 'default' });
  expect(parse('.#', dir).fragment).toBe('');
  expect(parse('.#.packages.x', dir).fragment).toBe('.packages.x');
});

test('`path:DIR` takes the directory as it is, even inside a Git repository; `?dir=` names a subdirectory', () => {
  const repo = writeTree(tmp.dir('repo-path'), { 'sub/flake.nix': flake, 'README': 'r' });
  gitCommitAll(repo);
  expect(parse(`path:${repo}/sub#x`, '/')).toMatchObject({ kind: 'path', root: join(repo, 'sub'), flakeDir: '', fragment: 'x' });
  expect(parse(`path:${repo}?dir=sub#x`, '/')).toMatchObject({ kind: 'path', root: repo, flakeDir: 'sub', name: `path:${repo}?dir=sub` });
  expect(parse('path:sub', repo)).toMatchObject({ root: join(repo, 'sub') });
});

test('a flake inside a Git repository is the repository, with the flake in a subdirectory', () => {
  const repo = writeTree(tmp.dir('repo-git'), { 'nested/deep/flake.nix': flake });
  gitCommitAll(repo);
  expect(parse('.#img', join(repo, 'nested', 'deep'))).toMatchObject({
    kind: 'git', root: repo, flakeDir: 'nested/deep', fragment: 'img', name: `git+file://${repo}?dir=nested/deep`,
  });
});

test('a directory without flake.nix is searched upward, not past the Git repository', () => {
  const repo = writeTree(tmp.dir('search'), { 'flake.nix': flake, 'src/lib/x.txt': 'x' });
  gitCommitAll(repo);
  const r = parse('.#a', join(repo, 'src', 'lib'));
  expect(r).toMatchObject({ kind: 'git', root: repo, flakeDir: '' });
  expect(r.notices).toEqual([`path '${join(repo, 'src', 'lib')}' does not contain a 'flake.nix', searching up`]);
  const other = writeTree(tmp.dir('no-flake'), { 'x.txt': 'x' });
  gitCommitAll(other);
  expect(() => parse('.#a', other)).toThrow(/is not part of a flake \(neither it nor its parent directories contain a 'flake.nix' file\)/);
});

test('flake.nix given as a file is its directory, with Nix\'s warning', () => {
  const dir = writeTree(tmp.dir('file'), { 'flake.nix': flake });
  const r = parse(join(dir, 'flake.nix'), '/');
  expect(r).toMatchObject({ root: dir, fragment: '' });
  expect(r.notices[0]).toMatch(/should point at the directory containing the 'flake.nix' file, not the file itself. Pretending that you meant/);
});

test('references that need fetching are refused with what to do', () => {
  const dir = tmp.dir('remote');
  for (const ref of ['github:NixOS/nixpkgs#hello', 'nixpkgs#hello', 'https://example.org/x.tar.gz#y']) {
    let e: unknown;
    try {
      parse(ref, dir);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(NixError);
    expect((e as NixError).message).toMatch(/must be fetched; tsportable builds local flakes only/);
  }
});

test('which FILE arguments are flakes: a fragment, a scheme, a directory holding flake.nix, flake.nix itself', () => {
  const dir = writeTree(tmp.dir('args'), { 'flake/flake.nix': flake, 'plain/default.nix': '1', 'f.nix': '1' });
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'x'), '');
  expect(isFlakeArgument('flake', dir)).toBe(true);
  expect(isFlakeArgument('flake/flake.nix', dir)).toBe(true);
  expect(isFlakeArgument('.#x', dir)).toBe(true);
  expect(isFlakeArgument('path:/nowhere', dir)).toBe(true);
  expect(isFlakeArgument('plain', dir)).toBe(false);
  expect(isFlakeArgument('f.nix', dir)).toBe(false);
  expect(isFlakeArgument('empty', dir)).toBe(false);
});
