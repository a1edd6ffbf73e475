/**
 * The parse cache as users meet it, across processes of the real CLI: a file
 * edited between two runs is evaluated as it now is; a damaged cache, or a
 * cache directory that cannot be written, changes nothing the user sees.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();

test('a file edited between two runs is evaluated as it is now', async () => {
  const cwd = await ws.dir('edited');
  const cacheDir = await ws.dir('edited-cache');
  const file = join(cwd, 'f.nix');
  const run = () => tsportable(['eval', '--strict', file], { cwd, cacheDir });
  writeFileSync(file, '{ a = 1; b = "x"; }\n');
  expect(await run()).toEqual({ exitCode: 0, stdout: '{ a = 1; b = "x"; }\n', stderr: '' });
  // The tree, and the fact that it compiles (syntax/compiles.ts).
  expect(readdirSync(join(cacheDir, 'syntax')).filter((n) => !n.endsWith('.compiles'))).toHaveLength(1);
  writeFileSync(file, '{ a = 2; b = "y"; }\n');
  expect(await run()).toEqual({ exitCode: 0, stdout: '{ a = 2; b = "y"; }\n', stderr: '' });
  writeFileSync(file, '{ a = 1; b = "x"; }\n');
  expect(await run()).toEqual({ exitCode: 0, stdout: '{ a = 1; b = "x"; }\n', stderr: '' });
});

test('a damaged cache entry: the right result, nothing said', async () => {
  const cwd = await ws.dir('damaged');
  const cacheDir = await ws.dir('damaged-cache');
  const file = join(cwd, 'f.nix');
  writeFileSync(file, 'let xs = [ 1 2 3 ]; in builtins.foldl\' (a: b: a + b) 0 xs\n');
  const run = () => tsportable(['eval', file], { cwd, cacheDir });
  expect(await run()).toEqual({ exitCode: 0, stdout: '6\n', stderr: '' });
  const [entry] = readdirSync(join(cacheDir, 'syntax')).filter((n) => !n.endsWith('.compiles'));
  const path = join(cacheDir, 'syntax', entry!);
  const bytes = readFileSync(path);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(path, bytes);
  expect(await run()).toEqual({ exitCode: 0, stdout: '6\n', stderr: '' });
  writeFileSync(path, 'garbage');
  expect(await run()).toEqual({ exitCode: 0, stdout: '6\n', stderr: '' });
});

test('a cache directory that cannot be made: the right result, nothing said', async () => {
  const cwd = await ws.dir('unwritable');
  const notADirectory = join(cwd, 'cache-is-a-file');
  writeFileSync(notADirectory, 'not a directory');
  writeFileSync(join(cwd, 'f.nix'), '{ x = 1; }.x + 1\n');
  const r = await tsportable(['eval', join(cwd, 'f.nix')], { cwd, cacheDir: notADirectory });
  expect(r).toEqual({ exitCode: 0, stdout: '2\n', stderr: '' });
});
