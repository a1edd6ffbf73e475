/**
 * End-to-end tests of the image builder with the real nix-store, mksquashfs
 * and unsquashfs, on the small store paths of fixture.ts.
 */
import { chmod, mkdtemp, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildImage, osReleaseText, type ImageInput } from '../../src/image/index.js';
import { NixError } from '../../src/eval/errors.js';
import { makeFixture, type Fixture } from './fixture.js';
import { buildLikeNixpkgs } from './nixpkgsMethod.js';
import { catImage, listImage, sha256 } from './listing.js';

/** The cache's entries but facts/ (what builds remember about store paths and mksquashfs: see src/image/facts.ts). */
async function imageEntries(cacheDir: string): Promise<string[]> {
  return (await readdir(cacheDir)).filter((name) => name !== 'facts');
}

let fx: Fixture;
let base: string;

beforeAll(async () => {
  fx = await makeFixture();
  base = await mkdtemp(join(tmpdir(), 'tsportable-image-test-'));
});

afterAll(async () => {
  await execa('chmod', ['-R', 'u+w', base]);
  await execa('rm', ['-rf', base]);
});

function demoInput(overrides: Partial<ImageInput> = {}): ImageInput {
  return {
    pname: 'demo',
    version: '1.0',
    osRelease: osReleaseText({ pname: 'demo', description: 'A demo service', homepage: 'https://example.org' }),
    units: [
      { name: 'demo.service', file: fx.service },
      { name: 'demo-extra.service', file: `${fx.multi}/demo-extra.service` },
      { name: 'demo.socket', file: fx.socket },
    ],
    symlinks: [
      { symlink: '/usr/bin/hello', object: `${fx.pkg}/bin/hello` },
      { symlink: '/etc/ssl/certs/lib.txt', object: `${fx.lib}/lib.txt` },
      { symlink: '/bin/sh', object: '/usr/bin/dash' },
    ],
    contents: [fx.extra],
    compression: 'xz -Xdict-size 100%',
    blockSize: '1M',
    mksquashfs: 'mksquashfs',
    ...overrides,
  };
}

let counter = 0;
const fresh = (what: string) => join(base, `${++counter}-${what}`);

/** A mksquashfs that logs each call's arguments before running the real one. */
async function loggingMksquashfs(): Promise<{ program: string; log: string }> {
  const program = fresh('mksquashfs-logged');
  const log = `${program}.log`;
  await writeFile(program, `#!/bin/sh\necho "$*" >> '${log}'\nexec mksquashfs "$@"\n`);
  await chmod(program, 0o755);
  return { program, log };
}

const storeNames = (paths: readonly string[]) => paths.map((p) => p.slice('/nix/store/'.length));

describe('buildImage', () => {
  test('gives nixpkgs\' tree: closure of what the scaffold names plus contents, scaffold, modes, owners, times', async () => {
    const outLink = fresh('result');
    const r = await buildImage(demoInput(), { cacheDir: fresh('cache'), outLink });
    expect(r.cached).toBe(false);
    expect(r.references).toEqual([fx.lib, fx.pkg, fx.wrapper].sort());
    // The units' own store paths, and what only the unit's directory mentions, stay out.
    expect(r.closure).toEqual([fx.extra, fx.lib, fx.pkg, fx.wrapper].sort());
    expect(await readlink(outLink)).toBe(r.resultDir);
    expect(r.imagePath).toBe(join(r.resultDir, 'demo_1.0.raw'));

    const tree = await listImage(r.imagePath);
    const storeEntries = [...tree.keys()].filter((p) => /^nix\/store\/[^/]+$/.test(p)).map((p) => p.slice(10)).sort();
    expect(storeEntries).toEqual(storeNames(r.closure));
    const scaffold = [...tree.keys()].filter((p) => p !== '' && !p.startsWith('nix')).sort();
    expect(scaffold).toEqual([
      'bin', 'bin/sh', 'dev', 'etc', 'etc/machine-id', 'etc/os-release', 'etc/resolv.conf', 'etc/ssl', 'etc/ssl/certs', 'etc/ssl/certs/lib.txt',
      'etc/systemd', 'etc/systemd/system', 'etc/systemd/system/demo-extra.service', 'etc/systemd/system/demo.service',
      'etc/systemd/system/demo.socket', 'proc', 'run', 'sys', 'tmp', 'usr', 'usr/bin', 'usr/bin/hello',
      'var', 'var/cache', 'var/lib', 'var/log', 'var/tmp',
    ]);
    for (const e of tree.values()) {
      expect(e.owner).toBe('0/0');
      expect(e.date).toBe('1970-01-01 00:00');
    }
    expect(tree.get('')!.perms).toBe('drwxr-xr-x');
    expect(tree.get('nix')!.perms).toBe('drwxr-xr-x');
    expect(tree.get('nix/store')!.perms).toBe('drwxr-xr-x');
    expect(tree.get('etc/systemd/system')!.perms).toBe('dr-xr-xr-x');
    expect(tree.get('usr/bin')!.perms).toBe('dr-xr-xr-x');
    expect(tree.get('etc/os-release')!.perms).toBe('-r--r--r--');
    expect(tree.get('etc/systemd/system/demo.service')!.perms).toBe('-r--r--r--');
    expect(tree.get(`${fx.pkg.slice(1)}/bin/hello`)!.perms).toBe('-r-xr-xr-x');
    expect(tree.get('usr/bin/hello')).toMatchObject({ perms: 'lrwxrwxrwx', target: `${fx.pkg}/bin/hello` });
    expect(tree.get('etc/ssl/certs/lib.txt')!.target).toBe(`${fx.lib}/lib.txt`);
    expect(tree.get('bin/sh')!.target).toBe('/usr/bin/dash');
    expect(tree.get(`${fx.pkg.slice(1)}/share/link`)!.target).toBe('data.txt');

    expect(await catImage(r.imagePath, 'etc/os-release')).toBe(
      'BUILD_ID=rolling\nHOME_URL=https://example.org\nID=nixos\nPORTABLE_ID=demo\nPORTABLE_PRETTY_NAME=A demo service\nPRETTY_NAME=NixOS\n');
    expect(await catImage(r.imagePath, 'etc/systemd/system/demo.service')).toBe(await readFile(fx.service, 'utf8'));
    expect(await catImage(r.imagePath, 'etc/systemd/system/demo-extra.service')).toBe(`ExecStart=${fx.wrapper}\n`);
    expect(await catImage(r.imagePath, 'etc/resolv.conf')).toBe('');
  });

  test('writes the same bytes as nixpkgs\' cp -a method, reading /nix directly or copying', async () => {
    const input = demoInput();
    const direct = await buildImage(input, { cacheDir: fresh('cache'), outLink: null, method: 'direct' });
    const copy = await buildImage(input, { cacheDir: fresh('cache'), outLink: null, method: 'copy' });
    expect(direct.method).toBe('direct');
    expect(copy.method).toBe('copy');
    // nixpkgs' closure, computed independently: the requisites of what the scaffold names, and contents.
    const { stdout } = await execa('nix-store', ['-qR', fx.wrapper, fx.pkg, fx.lib, fx.extra]);
    const reference = fresh('nixpkgs.raw');
    await buildLikeNixpkgs({ ...input, closure: stdout.split('\n') }, reference);
    const expected = await sha256(reference);
    expect(await sha256(direct.imagePath)).toBe(expected);
    expect(await sha256(copy.imagePath)).toBe(expected);
  });

  test('units that name no store path give an empty nix/store, with nixpkgs\' bytes', async () => {
    const input = demoInput({ compression: 'gzip', units: [{ name: 'demo.socket', file: fx.socket }], symlinks: [], contents: [] });
    const r = await buildImage(input, { cacheDir: fresh('cache'), outLink: null });
    expect(r.closure).toEqual([]);
    expect([...(await listImage(r.imagePath)).keys()].filter((p) => p.startsWith('nix'))).toEqual(['nix', 'nix/store']);
    const reference = fresh('nixpkgs.raw');
    await buildLikeNixpkgs({ ...input, closure: [] }, reference);
    expect(await sha256(r.imagePath)).toBe(await sha256(reference));
  });

  test('is reproducible: two uncached builds give the same sha256', async () => {
    const input = demoInput({ compression: 'gzip', blockSize: '128K' });
    const a = await buildImage(input, { cacheDir: fresh('cache'), outLink: null });
    const b = await buildImage(input, { cacheDir: fresh('cache'), outLink: null });
    expect(a.cached || b.cached).toBe(false);
    expect(await sha256(a.imagePath)).toBe(await sha256(b.imagePath));
  });

  test('reuses a cached image without running mksquashfs, and a change of input builds anew', async () => {
    const { program, log } = await loggingMksquashfs();
    const cacheDir = fresh('cache');
    const outLink = fresh('result');
    const first = await buildImage(demoInput({ mksquashfs: program, compression: 'gzip' }), { cacheDir, outLink });
    const callsAfterFirst = (await readFile(log, 'utf8')).split('\n').filter((l) => l && l !== '-version');
    expect(callsAfterFirst).toHaveLength(1);
    const second = await buildImage(demoInput({ mksquashfs: program, compression: 'gzip' }), { cacheDir, outLink });
    expect(second.cached).toBe(true);
    expect(second.imagePath).toBe(first.imagePath);
    expect((await readFile(log, 'utf8')).split('\n').filter((l) => l && l !== '-version')).toEqual(callsAfterFirst);
    expect(await readlink(outLink)).toBe(first.resultDir);
    // Another unit text is another scaffold, hence another key.
    const third = await buildImage(demoInput({ mksquashfs: program, compression: 'gzip', units: [{ name: 'demo.socket', file: fx.socket }] }), { cacheDir, outLink });
    expect(third.cached).toBe(false);
    expect(third.key).not.toBe(first.key);
  });

  test('a failing mksquashfs leaves no partial image and the previous result untouched', async () => {
    const cacheDir = fresh('cache');
    const outLink = fresh('result');
    const good = await buildImage(demoInput({ compression: 'gzip' }), { cacheDir, outLink });
    const failure = buildImage(demoInput({ compression: 'nosuchcompressor' }), { cacheDir, outLink });
    await expect(failure).rejects.toThrow(NixError);
    await expect(failure).rejects.toThrow(/mksquashfs failed/);
    expect(await readlink(outLink)).toBe(good.resultDir);
    expect(await imageEntries(cacheDir)).toEqual([good.key, 'roots']);
  });

  test('an interruption (SIGINT) during mksquashfs removes everything and keeps the previous result', async () => {
    const cacheDir = fresh('cache');
    const outLink = fresh('result');
    const good = await buildImage(demoInput({ compression: 'gzip' }), { cacheDir, outLink });
    const slow = fresh('mksquashfs-slow');
    await writeFile(slow, '#!/bin/sh\n[ "$1" = -version ] && exec mksquashfs -version\nexec sleep 60\n');
    await chmod(slow, 0o755);
    const script = fresh('interrupt.mjs');
    const indexUrl = new URL('../../src/image/index.js', import.meta.url).href;
    await writeFile(script, `
      import { buildImage } from ${JSON.stringify(indexUrl)};
      const input = JSON.parse(process.argv[2]);
      buildImage(input, { cacheDir: ${JSON.stringify(cacheDir)}, outLink: ${JSON.stringify(outLink)},
        onProgress: (p) => { if (p.phase === 'squash') console.log('squashing'); } })
        .then(() => console.log('finished'), (e) => console.log('failed: ' + e.message));
    `);
    const child = execa('node', [script, JSON.stringify(demoInput({ compression: 'gzip -Xcompression-level 1', mksquashfs: slow }))], { reject: false });
    child.stdout!.on('data', (d: Buffer) => { if (String(d).includes('squashing')) child.kill('SIGINT'); });
    const { stdout } = await child;
    expect(stdout).toMatch(/failed: the image build was interrupted \(SIGINT\)/);
    expect(await readlink(outLink)).toBe(good.resultDir);
    expect(await imageEntries(cacheDir)).toEqual([good.key, 'roots']);
  });

  test('an optimised store (hard links across store paths) falls back to copying and still gives nixpkgs\' bytes', async () => {
    // Two paths with one identical file, hard-linked as `nix-store --optimise` would do it (content unchanged).
    const paths: string[] = [];
    for (const name of ['demo-twin-a', 'demo-twin-b']) {
      const dir = fresh(name);
      await execa('mkdir', ['-p', join(dir, name)]);
      await writeFile(join(dir, name, 'same.txt'), 'identical content of the hard-link test\n');
      await writeFile(join(dir, name, 'own.txt'), `${name}\n`);
      paths.push((await execa('nix-store', ['--add', join(dir, name)])).stdout.trim());
    }
    const [a, b] = paths;
    await execa('chmod', ['u+w', b]);
    await execa('ln', ['-f', join(a, 'same.txt'), join(b, 'same.txt')]);
    await execa('chmod', ['u-w', b]);
    await execa('touch', ['-h', '-d', '@1', b]);
    const input = demoInput({ compression: 'gzip', contents: [a, b], symlinks: [] });
    const auto = await buildImage(input, { cacheDir: fresh('cache'), outLink: null });
    expect(auto.method).toBe('copy');
    const { stdout } = await execa('nix-store', ['-qR', fx.wrapper, a, b]);
    const reference = fresh('nixpkgs.raw');
    await buildLikeNixpkgs({ ...input, closure: stdout.split('\n') }, reference);
    expect(await sha256(auto.imagePath)).toBe(await sha256(reference));
    // Reading /nix directly would have kept the link: that is why the fallback exists.
    const direct = await buildImage(input, { cacheDir: fresh('cache'), outLink: null, method: 'direct' });
    expect(await sha256(direct.imagePath)).not.toBe(await sha256(reference));
  });

  test('leftovers of a build killed with SIGKILL are swept by the next build', async () => {
    const cacheDir = fresh('cache');
    const child = execa('true');
    await child;
    const leftover = join(cacheDir, `.tmp-${child.pid}-XXXXXX`);
    await execa('mkdir', ['-p', join(leftover, 'scaffold', 'etc')]);
    await execa('chmod', ['-R', 'a-w', leftover]);
    const r = await buildImage(demoInput({ compression: 'gzip' }), { cacheDir, outLink: null });
    expect(await imageEntries(cacheDir)).toEqual([r.key, 'roots']);
  });

  test('a result path that is a real directory is not replaced; the image stays in the cache', async () => {
    const cacheDir = fresh('cache');
    const outLink = fresh('result-dir');
    await execa('mkdir', ['-p', join(outLink, 'keep')]);
    const r = buildImage(demoInput({ compression: 'gzip' }), { cacheDir, outLink });
    await expect(r).rejects.toThrow(/cannot create the result link .* not a symlink/);
    expect(await readdir(outLink)).toEqual(['keep']);
    expect(await readdir(base)).not.toContainEqual(expect.stringMatching(/^\.\d+-result-dir\.tmp-/));
  });

  test('--no-out-link: no link, the image is still in the cache', async () => {
    const r = await buildImage(demoInput({ compression: 'gzip', symlinks: [], contents: [] }), { cacheDir: fresh('cache'), outLink: null });
    expect(r.outLink).toBeNull();
    expect(r.closure).toEqual([fx.lib, fx.pkg, fx.wrapper].sort());
    expect((await listImage(r.imagePath)).has('usr')).toBe(false);
  });

  test('refuses unsafe input before writing anything', async () => {
    const cacheDir = fresh('cache');
    const outLink = fresh('result');
    const bad = buildImage(demoInput({
      units: [{ name: '../evil.service', file: fx.service }],
      symlinks: [{ symlink: '/usr/../../etc/passwd', object: fx.pkg }],
    }), { cacheDir, outLink });
    await expect(bad).rejects.toThrow(/unit name '..\/evil.service' must not contain '\/'[\s\S]*goes above the image root with '..'/);
    await expect(readdir(cacheDir)).rejects.toThrow(/ENOENT/);
    await expect(readlink(outLink)).rejects.toThrow(/ENOENT/);
  });

  test('a unit file that cannot be read is a build error naming the unit', async () => {
    const bad = buildImage(demoInput({ units: [{ name: 'demo.service', file: fx.pkg }] }), { cacheDir: fresh('cache'), outLink: null });
    await expect(bad).rejects.toThrow(/cannot read unit 'demo.service'.*directory/);
  });
});
