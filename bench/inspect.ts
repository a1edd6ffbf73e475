/**
 * `tsportable inspect` on a large image against the least any reader of it
 * must do, in the same run: `unsquashfs -pf` writing the same listing and
 * every file's data to /dev/null (decompressing everything once, as inspect's
 * one stream does). The ratio is what inspect's own work costs on top: the
 * listing, the store-reference scan, the ELF and `#!` reading and the checks.
 *
 * The image is a portable-service image made from host directories (the
 * host's programs and libraries as one store path, a unit running one of
 * them), about 900 MB of files, compressed with gzip level 1; it is kept in
 * tsportable's cache directory and reused.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cacheRoot } from '../src/image/index.js';
import { alternate, cli } from './measure.js';
import type { BenchRow } from './main.js';

const runs = 3;
const hash = '0123456789abcdfghijklmnpqrsvwxyz';
const hostDirs: Record<string, string> = { bin: '/usr/bin', lib: '/usr/lib/x86_64-linux-gnu' };

async function benchImage(): Promise<string> {
  const image = join(cacheRoot(), 'bench', 'inspect', 'big_1.raw');
  if (existsSync(image)) return image;
  const root = await mkdtemp(join(tmpdir(), 'tsportable-bench-inspect-'));
  try {
    const store = join(root, 'nix', 'store', `${hash}-big`);
    for (const [sub, dir] of Object.entries(hostDirs)) {
      if (existsSync(dir)) await cp(dir, join(store, sub), { recursive: true, verbatimSymlinks: true });
    }
    for (const d of ['etc/systemd/system', 'proc', 'sys', 'dev', 'run', 'tmp', 'var/tmp']) await mkdir(join(root, d), { recursive: true });
    await writeFile(join(root, 'etc/os-release'), 'ID=nixos\nPORTABLE_ID=big\n');
    await writeFile(join(root, 'etc/resolv.conf'), '');
    await writeFile(join(root, 'etc/machine-id'), '');
    await writeFile(join(root, 'etc/systemd/system/big.service'), `[Service]\nExecStart=/nix/store/${hash}-big/bin/bash -c true\n`);
    await mkdir(join(cacheRoot(), 'bench', 'inspect'), { recursive: true });
    await execa('mksquashfs', [root, image, '-quiet', '-noappend', '-all-root', '-b', '1M', '-comp', 'gzip', '-Xcompression-level', '1']);
    return image;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function bench(): Promise<BenchRow[]> {
  const image = await benchImage();
  const [stream, inspect] = (await alternate([
    { file: 'unsquashfs', args: ['-n', '-pf', '/dev/null', image] },
    { file: cli, args: ['inspect', image] },
  ], runs)).map((t) => t.ms);
  return [
    { name: 'unsquashfs -pf (the stream alone)', value: stream, unit: 'ms' },
    { name: 'tsportable inspect', value: inspect, unit: 'ms', note: 'listing, references, ELF and #! reading, checks' },
    { name: 'inspect / stream', value: inspect / stream, unit: 'x' },
  ];
}
