/**
 * `tsportable gc` through the real CLI, on images built by it: an image is
 * removed once no result link points to it (the link deleted, moved to a
 * newer image, or never made with --no-out-link), and kept while a link does
 * or while a build is using it; `--dry-run` says the same and removes
 * nothing; the summary counts the images and the bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { attrArgs, cliPath, exampleImages, imageName, jsStackTrace, tsportable, useWorkspace, type ExampleImage } from './cli.js';
import { formatBytes } from '../../src/inspect/format.js';
import { listImage } from './squashfs.js';

const ws = useWorkspace();
const example = (id: string): ExampleImage => exampleImages.find((e) => e.id === id)!;

async function build(e: ExampleImage, cwd: string, cacheDir: string, link: string[]): Promise<string> {
  const run = await tsportable(['build', e.file, ...attrArgs(e), ...link], { cwd, cacheDir });
  expect({ exitCode: run.exitCode, stderr: run.exitCode === 0 ? '' : run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run.stdout.trim();
}

async function gc(cwd: string, cacheDir: string, args: string[] = []) {
  const run = await tsportable(['gc', ...args], { cwd, cacheDir });
  expect(run.stderr).not.toMatch(jsStackTrace);
  expect(run.exitCode).toBe(0);
  return run;
}

/** The image directories in the cache, sorted. */
async function images(cacheDir: string): Promise<string[]> {
  return (await readdir(cacheDir)).filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => join(cacheDir, n)).sort();
}

const rawBytes = async (dir: string, e: ExampleImage) => (await stat(join(dir, imageName(e)))).size;

test('removes exactly the images no result link points to; --dry-run says so and removes nothing', async () => {
  const cwd = await ws.dir('links');
  const cacheDir = await ws.dir('links-cache');
  const [demo, gzip, web, worker, certs] = ['demo', 'gzip', 'multi-web', 'multi-worker', 'certs'].map(example);
  const demoDir = await build(demo!, cwd, cacheDir, ['-o', 'kept']);
  const gzipDir = await build(gzip!, cwd, cacheDir, ['-o', 'deleted']);
  const webDir = await build(web!, cwd, cacheDir, ['-o', 'moved']);
  const workerDir = await build(worker!, cwd, cacheDir, ['-o', 'moved']); // `moved` now points to worker's image
  const certsDir = await build(certs!, cwd, cacheDir, ['--no-out-link']);
  await rm(join(cwd, 'deleted'));
  const dead = [gzipDir, webDir, certsDir].sort();
  const deadBytes = (await rawBytes(gzipDir, gzip!)) + (await rawBytes(webDir, web!)) + (await rawBytes(certsDir, certs!));
  const all = await images(cacheDir);
  expect(all).toEqual([demoDir, gzipDir, webDir, workerDir, certsDir].sort());
  const roots = (await readdir(join(cacheDir, 'roots'))).sort();

  const dry = await gc(cwd, cacheDir, ['--dry-run']);
  const listed = dry.stdout.split('\n').filter((l) => l.startsWith('would remove ')).map((l) => l.split(' ')[2]).sort();
  expect(listed).toEqual(dead);
  expect(dry.stdout).toContain(`3 images would be removed, ${formatBytes(deadBytes)} would be freed; 2 images kept (2 result links) (${cacheDir})`);
  expect(await images(cacheDir)).toEqual(all);
  expect((await readdir(join(cacheDir, 'roots'))).sort()).toEqual(roots);

  const real = await gc(cwd, cacheDir);
  expect(real.stdout.split('\n').filter((l) => l.startsWith('removing ')).map((l) => l.split(' ')[1]).sort()).toEqual(dead);
  expect(real.stdout).toContain(`3 images removed, ${formatBytes(deadBytes)} freed; 2 images kept (2 result links) (${cacheDir})`);
  expect(await images(cacheDir)).toEqual([demoDir, workerDir].sort());
  // What the build's checks remembered beside each image goes with it.
  expect([...dead, demoDir, workerDir].map((d) => [d, existsSync(`${d}.findings.json`)]))
    .toEqual([...dead.map((d) => [d, false]), [demoDir, true], [workerDir, true]]);
  // The links that are left still lead to whole images.
  expect(await readlink(join(cwd, 'kept'))).toBe(demoDir);
  expect((await listImage(join(cwd, 'kept', imageName(demo!)))).has('etc/os-release')).toBe(true);
  expect((await listImage(join(cwd, 'moved', imageName(worker!)))).has('etc/os-release')).toBe(true);
  // The roots of the deleted and the moved link are gone with them; a second run finds nothing.
  expect(await readdir(join(cacheDir, 'roots'))).toHaveLength(2);
  const again = await gc(cwd, cacheDir);
  expect(again.stdout).toBe(`0 images removed, 0 B freed; 2 images kept (2 result links) (${cacheDir})\n`);
});

test('a build in progress keeps its work directory and its image; leftovers of a dead build are removed', async () => {
  const cwd = await ws.dir('running');
  const cacheDir = await ws.dir('running-cache');
  const shimDir = await ws.dir('running-shims');
  const started = join(shimDir, 'started');
  const go = join(shimDir, 'go');
  const real = (await execa('sh', ['-c', 'command -v mksquashfs'])).stdout.trim();
  // mksquashfs that waits for the test before doing its work.
  await writeFile(join(shimDir, 'mksquashfs'),
    `#!/bin/sh\nif [ "$1" = "-version" ]; then exec '${real}' "$@"; fi\ntouch '${started}'\nwhile [ ! -e '${go}' ]; do sleep 0.1; done\nexec '${real}' "$@"\n`);
  await chmod(join(shimDir, 'mksquashfs'), 0o755);
  const demo = example('demo');
  const child = execa(process.execPath, [cliPath, 'build', demo.file, '-o', 'result'], {
    cwd, reject: false, stdin: 'ignore',
    env: { NO_COLOR: '1', TSPORTABLE_CACHE_DIR: cacheDir, PATH: `${shimDir}${delimiter}${process.env.PATH ?? ''}` },
  });
  let ended = false;
  void child.finally(() => { ended = true; });
  try {
    while (!existsSync(started) && !ended) await sleep(50);
    expect(ended).toBe(false);
    const work = (await readdir(cacheDir)).filter((n) => n.startsWith(`.tmp-${child.pid}-`));
    expect(work).toHaveLength(1);
    // What a build killed with SIGKILL leaves: a work directory named after a process that is gone.
    const gone = execa('true');
    await gone;
    await mkdir(join(cacheDir, `.tmp-${gone.pid}-dead`, 'scaffold'), { recursive: true });
    await writeFile(join(cacheDir, `.tmp-${gone.pid}-dead`, 'scaffold', 'partial'), 'x'.repeat(1000));

    const during = await gc(cwd, cacheDir);
    expect(during.stdout).toContain(`removing ${join(cacheDir, `.tmp-${gone.pid}-dead`)} (left by an interrupted build)`);
    expect(during.stdout).toContain('0 images removed, 1000 B freed; 0 images kept (0 result links, 1 running build)');
    expect((await readdir(cacheDir)).filter((n) => n.startsWith('.tmp-'))).toEqual(work);
  } finally {
    await writeFile(go, '');
  }
  const r = await child;
  expect(r.exitCode).toBe(0);
  const image = String(r.stdout).trim();
  const after = await gc(cwd, cacheDir);
  expect(after.stdout).toBe(`0 images removed, 0 B freed; 1 image kept (1 result link) (${cacheDir})\n`);
  expect((await listImage(join(image, imageName(demo)))).has('etc/os-release')).toBe(true);
  expect(readFileSync(join(cwd, 'result', imageName(demo))).length).toBeGreaterThan(0);
});

test('an image a running build holds (its pending root) is kept; the pending root of a dead process is not', async () => {
  const cwd = await ws.dir('pending');
  const cacheDir = await ws.dir('pending-cache');
  const demoDir = await build(example('demo'), cwd, cacheDir, ['--no-out-link']);
  const gzipDir = await build(example('gzip'), cwd, cacheDir, ['--no-out-link']);
  const gone = execa('true');
  await gone;
  // As build.ts holds its image: this test's process is alive, the other one is gone.
  await symlink('x', join(cacheDir, 'roots', `.pending-${process.pid}-${demoDir.split('/').pop()}`));
  await symlink('x', join(cacheDir, 'roots', `.pending-${gone.pid}-${gzipDir.split('/').pop()}`));
  const run = await gc(cwd, cacheDir);
  expect(run.stdout).toContain(`removing ${gzipDir}`);
  expect(run.stdout).toContain('1 image removed');
  expect(run.stdout).toContain('1 image kept (0 result links, 1 running build)');
  expect(await images(cacheDir)).toEqual([demoDir]);
  expect(await readdir(join(cacheDir, 'roots'))).toEqual([`.pending-${process.pid}-${demoDir.split('/').pop()}`]);
});

test('an empty or missing cache: nothing to do; a cache that is a file: one line, exit 1', async () => {
  const cwd = await ws.dir('edge');
  const missing = join(cwd, 'no-cache-yet');
  const run = await gc(cwd, missing);
  expect(run.stdout).toBe(`0 images removed, 0 B freed; 0 images kept (0 result links) (${missing})\n`);
  expect(existsSync(missing)).toBe(false);

  const file = join(cwd, 'a-file');
  await writeFile(file, '');
  const bad = await tsportable(['gc'], { cwd, cacheDir: file });
  expect(bad.exitCode).toBe(1);
  expect(bad.stderr).toBe(`error: cannot use the image cache ${file} (TSPORTABLE_CACHE_DIR=${file}): it is not a directory\n`);
  expect((await lstat(file)).isFile()).toBe(true);
});
