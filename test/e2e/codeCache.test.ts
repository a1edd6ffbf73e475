/**
 * The CLI's code cache (bin/tsportable.js), in a copy of the installed
 * command of its own (the suite's other runs share dist/): a command's first
 * run writes its cache; the next run keeps it (so V8 accepted it: a rejected
 * cache is written again); a damaged or cut cache is written again, and the
 * command works all the same.
 */
import { copyFileSync, cpSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../../src/paths.js';
import { useWorkspace } from './cli.js';

const ws = useWorkspace();
let root: string;

beforeAll(async () => {
  root = await ws.dir('installed');
  cpSync(join(packageRoot, 'bin'), join(root, 'bin'), { recursive: true });
  // The bundles and what they load; not the caches, nor tsc's modules.
  cpSync(join(packageRoot, 'dist'), join(root, 'dist'), {
    recursive: true,
    filter: (src) => !src.endsWith('.v8cache') && !/[/]dist[/](src|test|bench)$/.test(src),
  });
  // tsc's build info decides whether the bundle is stale: as old as the build left it.
  const info = join(packageRoot, 'dist', '.tsbuildinfo');
  copyFileSync(info, join(root, 'dist', '.tsbuildinfo'));
  utimesSync(join(root, 'dist', '.tsbuildinfo'), statSync(info).atime, statSync(info).mtime);
  for (const name of ['package.json', 'grammar', 'nix', 'node_modules']) symlinkSync(join(packageRoot, name), join(root, name));
});

function evalCacheFile(): string | undefined {
  const name = readdirSync(join(root, 'dist')).find((n) => /^tsportable\.\w+\.v[\d.]+-\w+\.eval\.v8cache$/.test(n));
  return name === undefined ? undefined : join(root, 'dist', name);
}

async function evalExpr(expr: string): Promise<string> {
  const r = await execa(join(root, 'bin', 'tsportable.js'), ['eval', '-E', expr], { env: { TSPORTABLE_CACHE_DIR: join(root, 'cache') } });
  return r.stdout;
}

test('the first run writes the cache, and the next keeps it', async () => {
  expect(evalCacheFile()).toBeUndefined();
  expect(await evalExpr('1 + 1')).toBe('2');
  const file = evalCacheFile()!;
  const written = statSync(file);
  expect(written.size).toBeGreaterThan(10_000);
  expect(await evalExpr('builtins.length (builtins.genList (x: x) 1000)')).toBe('1000');
  expect(statSync(file)).toMatchObject({ ino: written.ino, size: written.size, mtimeMs: written.mtimeMs });
});

test('a damaged cache is written again, and a cut one too; the command works all the same', async () => {
  const file = evalCacheFile()!;
  writeFileSync(file, Buffer.alloc(50_000, 0x5a));
  expect(await evalExpr('"damaged"')).toBe('"damaged"');
  expect(readFileSync(file).subarray(0, 8).equals(Buffer.alloc(8, 0x5a))).toBe(false);

  writeFileSync(file, Buffer.from([1, 2, 3]));
  expect(await evalExpr('"cut"')).toBe('"cut"');
  expect(statSync(file).size).toBeGreaterThan(10_000);
});
