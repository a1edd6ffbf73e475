/**
 * Image build speed and disk use on a large closure: tsportable's way
 * (mksquashfs reading /nix directly, nothing copied) against nixpkgs' way
 * (`cp -a` of the closure, then mksquashfs with the same options), in the
 * same run, on the same inputs, checking that both give the same bytes; then
 * the time of a cached rebuild. The closure is made from host directories
 * with `nix-store --add` (a few hundred MB, thousands of files); the store
 * paths are remembered in tsportable's cache directory and reused while valid.
 */
import { mkdir, mkdtemp, readFile, readdir, lstat, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { buildImage, cacheRoot, osReleaseText, type ImageInput } from '../src/image/index.js';
import { buildLikeNixpkgs } from '../test/image/nixpkgsMethod.js';
import { sha256 } from '../test/image/listing.js';
import type { BenchRow } from './main.js';

/** Host directories that make a closure of about 230 MB and 14,000 files on Debian bookworm. */
const hostDirs = [
  '/usr/lib/python3.11', '/usr/lib/git-core', '/usr/share/perl', '/usr/share/vim',
  '/usr/share/cmake-3.25', '/usr/share/i18n', '/usr/share/icons', '/usr/share/mime', '/usr/share/fonts',
];

async function isValid(path: string): Promise<boolean> {
  const r = await execa('nix-store', ['--check-validity', path], { reject: false });
  return r.exitCode === 0;
}

/** The bench closure: host directories added to the store once, remembered across runs. */
async function benchClosure(): Promise<string[]> {
  const stateFile = join(cacheRoot(), 'bench', 'closure.json');
  const state: Record<string, string> = existsSync(stateFile) ? JSON.parse(await readFile(stateFile, 'utf8')) : {};
  const paths: string[] = [];
  for (const dir of hostDirs.filter(existsSync)) {
    if (!state[dir] || !(await isValid(state[dir]))) {
      state[dir] = (await execa('nix-store', ['--add', dir])).stdout.trim();
    }
    paths.push(state[dir]);
  }
  await mkdir(join(cacheRoot(), 'bench'), { recursive: true });
  await writeFile(stateFile, JSON.stringify(state, null, 2));
  return paths;
}

async function diskKiB(path: string): Promise<number> {
  const { stdout } = await execa('du', ['-sk', path]);
  return Number(stdout.split('\t')[0]);
}

/** Reads every file once, so that neither method pays for a cold page cache. */
async function warm(path: string): Promise<number> {
  const st = await lstat(path);
  if (st.isDirectory()) {
    let n = 0;
    for (const e of await readdir(path)) n += await warm(join(path, e));
    return n;
  }
  if (st.isFile()) await readFile(path);
  return 1;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/**
 * CPU seconds used by this process's finished children (cutime + cstime in
 * /proc/self/stat): the compression work itself, which other load on the
 * machine does not inflate the way it inflates wall time.
 */
async function childCpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: field 3 is fields[0], so cutime (16) and cstime (17) are fields[13] and fields[14].
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

export async function bench(): Promise<BenchRow[]> {
  const contents = await benchClosure();
  let files = 0;
  for (const p of contents) files += await warm(p);
  const closureKiB = (await Promise.all(contents.map(diskKiB))).reduce((a, b) => a + b, 0);
  const unit = await addUnit();
  const input: ImageInput = {
    pname: 'bench', version: '1', osRelease: osReleaseText({ pname: 'bench' }),
    units: [{ name: 'bench.service', file: unit }],
    symlinks: [{ symlink: '/usr/bin/python3', object: `${contents[0]}/python3` }],
    contents, compression: 'xz -Xdict-size 100%', blockSize: '1M', mksquashfs: 'mksquashfs',
  };
  const work = await mkdtemp(join(tmpdir(), 'tsportable-bench-image-'));
  try {
    // nixpkgs' way.
    const reference = join(work, 'nixpkgs.raw');
    let copyKiB = 0;
    let cpu0 = await childCpuSeconds();
    let t0 = process.hrtime.bigint();
    const { stdout } = await execa('nix-store', ['-qR', ...contents]);
    await buildLikeNixpkgs({ ...input, closure: stdout.split('\n') }, reference, async (dir) => { copyKiB = await diskKiB(dir); });
    const nixpkgsWall = seconds(t0);
    const nixpkgsCpu = (await childCpuSeconds()) - cpu0;
    const imageKiB = await diskKiB(reference);

    // tsportable's way, measuring its private directory when mksquashfs starts.
    const cacheDir = join(work, 'cache');
    let scratchKiB = 0;
    cpu0 = await childCpuSeconds();
    t0 = process.hrtime.bigint();
    const built = await buildImage(input, {
      cacheDir, outLink: null,
      onProgress: async (p) => {
        // Once, when mksquashfs starts (its progress updates come after).
        if (p.phase !== 'squash' || p.update) return;
        // The scaffold and the exclude file; the image being written is counted once, below.
        for (const t of (await readdir(cacheDir)).filter((n) => n.startsWith('.tmp-'))) {
          for (const part of ['scaffold', 'squash']) scratchKiB += await diskKiB(join(cacheDir, t, part)).catch(() => 0);
        }
      },
    });
    const tsWall = seconds(t0);
    const tsCpu = (await childCpuSeconds()) - cpu0;
    const same = (await sha256(built.imagePath)) === (await sha256(reference));

    t0 = process.hrtime.bigint();
    const again = await buildImage(input, { cacheDir, outLink: null });
    const cachedMs = seconds(t0) * 1000;

    const mb = (k: number) => Math.round((k / 1024) * 10) / 10;
    const tsExtra = scratchKiB + imageKiB;
    const nixpkgsExtra = copyKiB + imageKiB;
    return [
      { name: 'image.closure', value: mb(closureKiB), unit: 'MB', note: `${contents.length} store paths, ${files} files` },
      { name: 'image.nixpkgs.wall', value: nixpkgsWall, unit: 's', note: 'cp -a of the closure, mksquashfs, removal of the copy' },
      { name: 'image.tsportable.wall', value: tsWall, unit: 's', note: `method ${built.method}` },
      { name: 'image.wall.ratio', value: tsWall / nixpkgsWall, unit: 'x', note: 'tsportable / nixpkgs, goal <= 0.85' },
      { name: 'image.nixpkgs.cpu', value: nixpkgsCpu, unit: 's', note: 'CPU time of cp, mksquashfs, nix-store' },
      { name: 'image.tsportable.cpu', value: tsCpu, unit: 's', note: 'CPU time of mksquashfs, nix-store' },
      { name: 'image.cpu.ratio', value: tsCpu / nixpkgsCpu, unit: 'x', note: `tsportable / nixpkgs; load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores` },
      { name: 'image.size', value: mb(imageKiB), unit: 'MB' },
      { name: 'image.nixpkgs.extraDisk', value: mb(nixpkgsExtra), unit: 'MB', note: 'closure copy + image' },
      { name: 'image.tsportable.extraDisk', value: mb(tsExtra), unit: 'MB', note: 'scaffold + exclude file + image' },
      { name: 'image.extraDisk.ratio', value: tsExtra / nixpkgsExtra, unit: 'x', note: 'tsportable / nixpkgs' },
      { name: 'image.extraDiskBeyondImage.tsportable', value: mb(scratchKiB), unit: 'MB', note: 'goal: no more than the image' },
      { name: 'image.sameBytes', value: same ? 1 : 0, unit: 'bool', note: 'sha256 equal to nixpkgs\' way' },
      { name: 'image.cachedRebuild', value: cachedMs, unit: 'ms', note: `cached=${again.cached}, goal < 1000` },
    ];
  } finally {
    await execa('chmod', ['-R', 'u+w', work]);
    await rm(work, { recursive: true, force: true });
  }
}

async function addUnit(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tsportable-bench-unit-'));
  try {
    const file = join(dir, 'bench.service');
    await writeFile(file, '[Service]\nExecStart=/usr/bin/python3 -m http.server\n');
    return (await execa('nix-store', ['--add', file])).stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await bench()) console.log(`${row.name.padEnd(40)} ${String(Math.round(row.value * 1000) / 1000).padStart(10)} ${row.unit}${row.note ? `  (${row.note})` : ''}`);
}
