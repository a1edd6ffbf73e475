/**
 * The CLI's code cache (bin/tsportable.js), in a copy of the installed
 * command of its own (the suite's other runs share dist/): a command's first
 * run writes its cache, headed by the run's CPU time; a run using no more
 * than twice the writer's leaves it as it is (so V8 accepted it: a rejected
 * cache is written again); a longer run writes it again, with its own; a
 * damaged or cut cache is written again, and the command still works.
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
  // The bundles and what they load; not the caches.
  cpSync(join(packageRoot, 'dist'), join(root, 'dist'), {
    recursive: true,
    filter: (src) => !src.endsWith('.v8cache') && !/[/]dist[/](src|test|bench)$/.test(src),
  });
  // tsc's build info decides whether the bundle is stale: keep it older, as the build leaves it.
  copyFileSync(join(packageRoot, 'dist', '.tsbuildinfo'), join(root, 'dist', '.tsbuildinfo'));
  const { atime, mtime } = statSync(join(packageRoot, 'dist', '.tsbuildinfo'));
  utimesSync(join(root, 'dist', '.tsbuildinfo'), atime, mtime);
  for (const name of ['package.json', 'grammar', 'nix', 'node_modules']) symlinkSync(join(packageRoot, name), join(root, name));
});

function evalCacheFile(): string | undefined {
  const name = readdirSync(join(root, 'dist')).find((n) => /^tsportable\.\w+\.v[\d.]+-\w+\.eval\.v8cache$/.test(n));
  return name === undefined ? undefined : join(root, 'dist', name);
}

/** The writer's time in a cache file's header, and the file's identity (a rewrite renames a new file in). */
function cacheState(file: string): { ms: number; ino: number; size: number } {
  const bytes = readFileSync(file);
  return { ms: bytes.readDoubleLE(0), ino: statSync(file).ino, size: bytes.length };
}

async function evalExpr(expr: string): Promise<string> {
  const r = await execa(join(root, 'bin', 'tsportable.js'), ['eval', '-E', expr], { env: { TSPORTABLE_CACHE_DIR: join(root, 'cache') } });
  return r.stdout;
}

test('the first run writes the cache; a run of less than twice its CPU time keeps it; a longer one writes it again', async () => {
  expect(evalCacheFile()).toBeUndefined();
  expect(await evalExpr('1 + 1')).toBe('2');
  const file = evalCacheFile()!;
  const first = cacheState(file);
  expect(first.ms).toBeGreaterThan(0);
  expect(first.size).toBeGreaterThan(10_000);

  // As if the writer's run had taken a minute of CPU: no run of this test takes twice that.
  const header = Buffer.alloc(8);
  header.writeDoubleLE(60_000);
  const data = readFileSync(file).subarray(8);
  writeFileSync(file, Buffer.concat([header, data]));
  const kept = statSync(file).ino;
  expect(await evalExpr('builtins.length (builtins.genList (x: x) 1000)')).toBe('1000');
  expect(cacheState(file)).toMatchObject({ ms: 60_000, ino: kept });

  // As if it had taken a microsecond: any run takes more than twice that.
  header.writeDoubleLE(0.001);
  writeFileSync(file, Buffer.concat([header, data]));
  expect(await evalExpr('3')).toBe('3');
  const rewritten = cacheState(file);
  expect(rewritten.ms).toBeGreaterThan(0.002);
  expect(rewritten.ino).not.toBe(kept);
});

test('a damaged cache is written again, and a cut one too; the command works all the same', async () => {
  const file = evalCacheFile()!;
  const header = Buffer.alloc(8);
  header.writeDoubleLE(60_000);
  // A long writer's time, but data V8 rejects: written again all the same.
  writeFileSync(file, Buffer.concat([header, Buffer.alloc(50_000, 0x5a)]));
  expect(await evalExpr('"damaged"')).toBe('"damaged"');
  const repaired = cacheState(file);
  expect(repaired.ms).toBeLessThan(60_000);
  expect(readFileSync(file).subarray(8, 16).equals(Buffer.alloc(8, 0x5a))).toBe(false);

  writeFileSync(file, Buffer.from([1, 2, 3]));
  expect(await evalExpr('"cut"')).toBe('"cut"');
  expect(cacheState(file).size).toBeGreaterThan(10_000);
});
