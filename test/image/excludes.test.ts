/**
 * The exclude file against the real mksquashfs: a fake `nix/store` with many
 * names, near misses and dot entries; exactly the kept names must come out.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { excludeLines } from '../../src/image/excludes.js';
import { listImage } from './listing.js';

const alphabet = '0123456789abcdfghijklmnpqrsvwxyz';
/** A deterministic pseudo-random hash, so a failure can be reproduced. */
function fakeHash(seed: number): string {
  let x = seed * 2654435761 + 12345;
  let s = '';
  for (let i = 0; i < 32; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += alphabet[x % 32];
  }
  return s;
}

test('mksquashfs keeps exactly the closure names and drops everything else in /nix', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsportable-excludes-'));
  try {
    const store = join(dir, 'nix', 'store');
    await mkdir(join(store, '.links'), { recursive: true });
    await mkdir(join(dir, 'nix', 'var', 'nix'), { recursive: true });
    const all: string[] = [];
    for (let i = 0; i < 600; i++) all.push(`${fakeHash(i)}-pkg-${i}`);
    // Same first characters as kept names, and names extending kept ones.
    all.push(`${fakeHash(1).slice(0, 31)}0-near`, `${fakeHash(2)}-pkg-2.lock`, `${fakeHash(3)}-pkg-3x`, `${fakeHash(4)}-a?b=c+d`, `${fakeHash(4)}-aXb=c+d`);
    for (const n of all) await writeFile(join(store, n), n);
    const kept = all.filter((_, i) => i % 3 === 1).concat(`${fakeHash(4)}-a?b=c+d`).filter((n, i, a) => a.indexOf(n) === i);
    const lines = excludeLines(kept);
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(l.length).toBeLessThan(16000);
    await writeFile(join(dir, 'excludes'), lines.join('\n') + '\n');
    const image = join(dir, 'out.raw');
    await execa('mksquashfs', [join(dir, 'nix'), image, '-quiet', '-no-progress', '-noappend', '-keep-as-directory',
      '-comp', 'gzip', '-wildcards', '-ef', join(dir, 'excludes')]);
    const tree = await listImage(image);
    const inStore = [...tree.keys()].filter((p) => p.startsWith('nix/store/')).map((p) => p.slice(10)).sort();
    expect(inStore).toEqual([...kept].sort());
    expect([...tree.keys()].filter((p) => p.startsWith('nix/') && !p.startsWith('nix/store'))).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an empty closure keeps an empty store', () => {
  expect(excludeLines([])).toContain('nix/store/*');
});
