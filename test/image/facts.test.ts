/**
 * What builds remember between runs (src/image/facts.ts) must never make a
 * key wrong: a remembered fact is used only for the very same file (same
 * identity), a changed mksquashfs gives another key and a new image, a
 * remembered reference graph gives the closure Nix gives, and a damaged or
 * unwritable facts directory is computed around silently.
 */
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildImage, imageClosure, osReleaseText, type ImageInput } from '../../src/image/index.js';
import { factsIn, fileIdentity, programFile } from '../../src/image/facts.js';
import { makeFixture, type Fixture } from './fixture.js';

let fx: Fixture;
let base: string;
let counter = 0;
const fresh = (what: string) => join(base, `${++counter}-${what}`);

beforeAll(async () => {
  fx = await makeFixture();
  base = await mkdtemp(join(tmpdir(), 'tsportable-facts-test-'));
});

afterAll(async () => {
  await execa('chmod', ['-R', 'u+w', base]);
  await execa('rm', ['-rf', base]);
});

describe('facts', () => {
  test('remembered for the same key, computed again for another', async () => {
    const facts = factsIn(fresh('facts'));
    let runs = 0;
    const compute = async () => ++runs;
    expect(await facts.remember('k', { a: 1 }, compute)).toBe(1);
    expect(await facts.remember('k', { a: 1 }, compute)).toBe(1);
    expect(await facts.remember('k', { a: 2 }, compute)).toBe(2);
    expect(await facts.remember('other', { a: 1 }, compute)).toBe(3);
  });

  test('a file\'s identity changes when it is written, even with the same size', async () => {
    const file = fresh('file');
    await writeFile(file, 'version A\n');
    const first = fileIdentity(file);
    await writeFile(file, 'version B\n');
    expect(fileIdentity(file)).not.toBe(first);
    expect(fileIdentity(fresh('missing'))).toBeUndefined();
  });

  test('damaged facts are computed again; an unwritable directory just computes', async () => {
    const dir = fresh('facts');
    const facts = factsIn(dir);
    let runs = 0;
    await facts.remember('k', 'key', async () => ++runs);
    const [entry] = await readdir(dir);
    for (const damaged of ['', '{"key":"key"', '{"key":"another key","value":99}', 'garbage']) {
      writeFileSync(join(dir, entry!), damaged);
      expect(await facts.remember('k', 'key', async () => ++runs)).toBe(runs);
    }
    const notADir = fresh('not-a-dir');
    writeFileSync(notADir, 'x');
    const nowhere = factsIn(join(notADir, 'facts'));
    expect(await nowhere.remember('k', 'key', async () => 'computed')).toBe('computed');
    expect(await nowhere.remember('k', 'key', async () => 'again')).toBe('again');
  });

  test('programFile finds a program on PATH as the shell would', async () => {
    const dir = fresh('bin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'tool'), 0o755);
    writeFileSync(join(dir, 'data'), 'not executable');
    const saved = process.env.PATH;
    process.env.PATH = `${dir}:${saved}`;
    try {
      expect(programFile('tool')).toBe(join(dir, 'tool'));
      expect(programFile('data')).not.toBe(join(dir, 'data'));
      expect(programFile('/abs/path/tool')).toBe('/abs/path/tool');
    } finally {
      process.env.PATH = saved;
    }
  });
});

function input(overrides: Partial<ImageInput> = {}): ImageInput {
  return {
    pname: 'facts', version: '1.0', osRelease: osReleaseText({ pname: 'facts' }),
    units: [{ name: 'demo.service', file: fx.service }, { name: 'demo-extra.service', file: `${fx.multi}/demo-extra.service` }],
    symlinks: [{ symlink: '/usr/bin/hello', object: `${fx.pkg}/bin/hello` }],
    contents: [fx.extra], compression: 'gzip', blockSize: '128K', mksquashfs: 'mksquashfs',
    ...overrides,
  };
}

describe('builds with remembered facts', () => {
  test('the closure from a remembered reference graph is the closure Nix gives', async () => {
    const facts = factsIn(fresh('facts'));
    const direct = await imageClosure(input());
    expect(await imageClosure(input(), undefined, facts)).toEqual(direct);
    expect(await imageClosure(input(), undefined, facts)).toEqual(direct);
  });

  test('another mksquashfs, even at the same path, gives another key and a new image', async () => {
    const cacheDir = fresh('cache');
    const shimDir = fresh('shim');
    mkdirSync(shimDir);
    const shim = join(shimDir, 'mksquashfs');
    const real = (await execa('sh', ['-c', 'command -v mksquashfs'])).stdout.trim();
    const version = (await execa(real, ['-version'])).stdout.split('\n')[0]!;
    const writeShim = async (suffix: string) => {
      await writeFile(shim, `#!/bin/sh\nif [ "$1" = "-version" ]; then echo '${version}${suffix}'; exit 0; fi\nexec '${real}' "$@"\n`);
      await chmod(shim, 0o755);
    };
    const saved = process.env.PATH;
    process.env.PATH = `${shimDir}:${saved}`;
    try {
      await writeShim('');
      const first = await buildImage(input(), { cacheDir, outLink: null });
      const again = await buildImage(input(), { cacheDir, outLink: null });
      expect(again).toMatchObject({ cached: true, key: first.key });
      await writeShim(' (patched)');
      const patched = await buildImage(input(), { cacheDir, outLink: null });
      expect(patched.cached).toBe(false);
      expect(patched.key).not.toBe(first.key);
      // The facts remember both binaries, each by its own identity.
      const remembered = await readdir(join(cacheDir, 'facts'));
      const versions = await Promise.all(remembered.filter((n) => n.startsWith('mksquashfs-version-'))
        .map(async (n) => JSON.parse(await readFile(join(cacheDir, 'facts', n), 'utf8')).value as string));
      expect(versions.sort()).toEqual([version, `${version} (patched)`].sort());
    } finally {
      process.env.PATH = saved;
    }
  });
});
