/**
 * What a build leaves behind. A finished build leaves the image in the cache,
 * the link, and nothing in TMPDIR; a build interrupted with Ctrl-C while
 * mksquashfs runs leaves no image, no work directory, the previous `result`
 * as it was, and exits 130. To interrupt at a known moment, `mksquashfs` in
 * PATH is a shim that records its start and then waits (as `sleep`) instead
 * of compressing; the test signals the CLI once the shim has started.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { cliPath, exampleImages, jsStackTrace, tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();
const demo = exampleImages.find((e) => e.id === 'demo')!;

async function listAll(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir, { recursive: true })).map(String).sort() : [];
}

test('a finished build leaves nothing in TMPDIR', async () => {
  const cwd = await ws.dir('finished');
  const tmp = await ws.dir('finished-tmp');
  const run = await tsportable(['build', demo.file], { cwd, cacheDir: await ws.dir('finished-cache'), env: { TMPDIR: tmp } });
  expect(run.exitCode).toBe(0);
  expect(await listAll(tmp)).toEqual([]);
});

test('Ctrl-C during mksquashfs: exit 130, no image, no work directory, previous result untouched', async () => {
  const cwd = await ws.dir('interrupted');
  const tmp = await ws.dir('interrupted-tmp');
  const cacheDir = await ws.dir('interrupted-cache');
  const shimDir = await ws.dir('interrupted-shims');
  const started = join(shimDir, 'started');
  const real = (await execa('sh', ['-c', 'command -v mksquashfs'])).stdout.trim();
  await writeFile(join(shimDir, 'mksquashfs'),
    `#!/bin/sh\nif [ "$1" = "-version" ]; then exec '${real}' "$@"; fi\necho "$@" > '${started}'\nexec sleep 60\n`);
  await chmod(join(shimDir, 'mksquashfs'), 0o755);
  await mkdir(join(cwd, 'previous'));
  await writeFile(join(cwd, 'previous', 'demo_0.9.raw'), 'an earlier image');
  await symlink(join(cwd, 'previous'), join(cwd, 'result'));

  const child = execa(process.execPath, [cliPath, 'build', demo.file], {
    cwd, reject: false, stdin: 'ignore',
    env: { NO_COLOR: '1', TSPORTABLE_CACHE_DIR: cacheDir, TMPDIR: tmp, PATH: `${shimDir}${delimiter}${process.env.PATH ?? ''}` },
  });
  // Waits for the shim to start (the build is then inside mksquashfs), or for the CLI to end early.
  let ended = false;
  void child.finally(() => { ended = true; });
  while (!existsSync(started) && !ended) await sleep(50);
  expect(ended).toBe(false);
  expect(readFileSync(started, 'utf8')).toMatch(/-noappend/);
  child.kill('SIGINT');
  const r = await child;

  expect(r.exitCode).toBe(130);
  expect(String(r.stderr)).toMatch(/interrupt/i);
  expect(String(r.stderr)).not.toMatch(jsStackTrace);
  expect(String(r.stdout)).toBe('');
  expect(await readlink(join(cwd, 'result'))).toBe(join(cwd, 'previous'));
  expect(await readdir(join(cwd, 'previous'))).toEqual(['demo_0.9.raw']);
  expect((await readdir(cwd)).sort()).toEqual(['previous', 'result']);
  expect((await listAll(cacheDir)).filter((p) => p.endsWith('.raw'))).toEqual([]);
  // Whatever stays in the cache must be a finished entry, never a work directory
  // (syntax/ and facts/ hold what runs remember: parsed files, store path facts).
  expect((await listAll(cacheDir)).filter((p) => !/^(syntax|facts)(\/|$)/.test(p))).toEqual([]);
  expect(await listAll(tmp)).toEqual([]);
});
