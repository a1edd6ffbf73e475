/**
 * `self` and `sourceInfo` against real Nix (2.8's `nix eval`): the store path
 * of the flake's source (name `source`; in a Git repository only the tracked
 * files), narHash, lastModified and lastModifiedDate, and for a clean Git
 * tree rev, shortRev and revCount. Where 2.8 and current Nix differ, the test
 * asserts current Nix's value and says so: `_type = "flake"`, `dirtyRev` of a
 * dirty tree, the outPath of a flake in a subdirectory (`dir=`) and of a
 * relative path input (a directory of its parent's source, not a copy).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsportable } from '../e2e/cli.js';
import { gitCommitAll, nix, nixEvalJson, useTempDir, writeTree } from './harness.js';

const tmp = useTempDir('metadata');

/** A flake whose `info` shows its self, sourceInfo and the files of its source. */
const infoFlake = `{
  outputs = { self }: {
    info = {
      names = builtins.filter (n: n != "_type" && n != "dirtyRev" && n != "dirtyShortRev") (builtins.attrNames self);
      attrs = builtins.removeAttrs self [ "outputs" "inputs" "sourceInfo" "outPath" "info" "type" "dirty" "_type" "dirtyRev" "dirtyShortRev" ];
      sourceInfo = builtins.removeAttrs self.sourceInfo [ "outPath" "dirtyRev" "dirtyShortRev" ];
      sourceOutPath = self.sourceInfo.outPath;
      files = builtins.attrNames (builtins.readDir self.sourceInfo.outPath);
    };
    type = self._type;
  };
}
`;

async function tsEval(installable: string, cwd: string): Promise<unknown> {
  const r = await tsportable(['eval', '--json', installable], { cwd, cacheDir: tmp.dir('cache') });
  if (r.exitCode !== 0) throw new Error(`tsportable eval ${installable} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('a path flake: the same store path, narHash, lastModified(Date) as Nix', async () => {
  const dir = writeTree(tmp.dir('path'), { 'flake.nix': infoFlake, 'data/a.txt': 'a\n' });
  const [nixInfo, tsInfo, metadata] = await Promise.all([
    nixEvalJson(`path:${dir}#info`, dir), tsEval(`path:${dir}#info`, dir), nix(['flake', 'metadata', '--json', `path:${dir}`], dir),
  ]);
  expect(tsInfo).toEqual(nixInfo);
  const meta = JSON.parse(metadata.stdout) as { path: string; locked: { narHash: string; lastModified: number } };
  expect(tsInfo).toMatchObject({ sourceOutPath: meta.path, sourceInfo: { narHash: meta.locked.narHash, lastModified: meta.locked.lastModified } });
  expect(await tsEval(`path:${dir}#type`, dir)).toBe('flake'); // current Nix's call-flake.nix; 2.8 has no _type
});

test('a clean Git tree: only tracked files, and rev, shortRev, revCount, the commit time', async () => {
  const dir = writeTree(tmp.dir('git-clean'), { 'flake.nix': infoFlake, 'tracked.txt': 't\n' });
  const rev = gitCommitAll(dir, '2024-01-02T03:04:05Z');
  writeFileSync(join(dir, 'untracked.txt'), 'not part of the flake\n');
  const [nixInfo, tsInfo] = await Promise.all([nixEvalJson('.#info', dir), tsEval('.#info', dir)]);
  expect(tsInfo).toEqual(nixInfo);
  expect(tsInfo).toMatchObject({
    files: ['flake.nix', 'tracked.txt'],
    sourceInfo: { rev, shortRev: rev.slice(0, 7), revCount: 1, lastModified: 1704164645, lastModifiedDate: '20240102030405', submodules: false },
  });
});

test('a dirty Git tree: no rev; current Nix\'s dirtyRev (2.8 has none); the same source as Nix', async () => {
  const dir = writeTree(tmp.dir('git-dirty'), { 'flake.nix': infoFlake, 'tracked.txt': 't\n' });
  const rev = gitCommitAll(dir, '2024-01-02T03:04:05Z');
  writeFileSync(join(dir, 'tracked.txt'), 'changed\n');
  const [nixInfo, tsInfo] = await Promise.all([nixEvalJson('.#info', dir), tsEval('.#info', dir)]);
  expect(tsInfo).toEqual(nixInfo);
  expect((tsInfo as { sourceInfo: Record<string, unknown> }).sourceInfo.rev).toBeUndefined();
  writeFileSync(join(dir, 'flake.nix'), infoFlake.replace('type = self._type;', 'type = self._type; dirty = [ self.dirtyRev self.dirtyShortRev ];'));
  expect(await tsEval('.#dirty', dir)).toEqual([`${rev}-dirty`, `${rev.slice(0, 7)}-dirty`]);
});

test('a flake in a subdirectory and a relative input: current Nix\'s outPath, a directory of the same source', async () => {
  const repo = writeTree(tmp.dir('subdir'), {
    'sub/flake.nix': `{
      inputs.rel.url = "path:./rel";
      outputs = { self, rel }: {
        paths = { self = self.outPath; source = self.sourceInfo.outPath; rel = rel.outPath; relX = rel.x; };
        relFiles = builtins.attrNames (builtins.readDir rel.outPath);
      };
    }`,
    'sub/rel/flake.nix': '{ outputs = { self }: { x = 1; }; }',
    'sub/rel/file.txt': 'f\n',
  });
  gitCommitAll(repo);
  const cwd = join(repo, 'sub');
  // Nix first: 2.8 writes (and git-adds) a flake.lock for the relative input, which is then part of the source.
  const nixPaths = await nixEvalJson('.#paths', cwd) as Record<string, unknown>;
  const nixFiles = await nixEvalJson('.#relFiles', cwd);
  const ts = await tsEval('.#paths', cwd) as Record<string, unknown>;
  const source = ts.source as string;
  expect(source).toBe(nixPaths.source);
  expect(ts).toEqual({ self: `${source}/sub`, source, rel: `${source}/sub/rel`, relX: 1 });
  // Nix 2.8 gives self.outPath = the source's top and copies `rel` apart; the files are the same.
  expect(nixPaths.self).toBe(source);
  expect(nixPaths.rel).not.toBe(ts.rel);
  expect(await tsEval('.#relFiles', cwd)).toEqual(nixFiles);
});
