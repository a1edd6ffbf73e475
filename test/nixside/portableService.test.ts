/**
 * The reference portableService of the stand-in set (nix/pkgs), built with real
 * nix-build and read back with unsquashfs: the image tree, modes, owners,
 * os-release text, unit contents, symlinks, closure and mksquashfs options that
 * nixpkgs' implementation gives (see /work/shared/PORTABLE-SERVICES.md).
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { buildAttrs, evalFailure, evalJson, fixtureNixpkgs, nixsideDir } from './nixRun.js';

const imagesFile = join(nixsideDir, 'images.nix');

interface Entry {
  mode: string;
  owner: string;
  path: string;
  target?: string;
}

/** `unsquashfs -lls`, parsed: one entry per path, without the squashfs-root prefix. */
async function listImage(image: string): Promise<Entry[]> {
  const { stdout } = await execa('unsquashfs', ['-lls', image]);
  const entries: Entry[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S{10}) (\S+)\s+\d+ \S+ \S+ squashfs-root(\S*)(?: -> (.*))?$/.exec(line);
    if (!m) continue;
    entries.push({ mode: m[1]!, owner: m[2]!, path: m[3] === '' ? '/' : m[3]!, ...(m[4] ? { target: m[4] } : {}) });
  }
  return entries;
}

async function catImage(image: string, path: string): Promise<string> {
  return (await execa('unsquashfs', ['-cat', image, path], { stripFinalNewline: false })).stdout;
}

async function superblock(image: string): Promise<string> {
  return (await execa('unsquashfs', ['-s', image])).stdout;
}

let out: Record<'demo' | 'extras' | 'demo-program', string>;
let demoImage: string;
let demoEntries: Entry[];
let extrasImage: string;
let extrasEntries: Entry[];

beforeAll(async () => {
  out = (await buildAttrs(imagesFile, ['demo', 'extras', 'demo-program'])) as typeof out;
  demoImage = join(out.demo, 'demo_1.0.raw');
  extrasImage = join(out.extras, 'extras_2.1.raw');
  demoEntries = await listImage(demoImage);
  extrasEntries = await listImage(extrasImage);
});

/** Entries outside /nix/store, which is where the scaffold lands. */
function scaffold(entries: Entry[]): Entry[] {
  return entries.filter((e) => !e.path.startsWith('/nix/store/'));
}

describe('the manual demo image', () => {
  test('the output holds only <pname>_<version>.raw', async () => {
    const { stdout } = await execa('ls', ['-A', out.demo]);
    expect(stdout).toBe('demo_1.0.raw');
    expect(out.demo).toMatch(/-demo-img-1\.0$/);
  });

  test('root scaffold: tree, modes and owners as nixpkgs makes them', () => {
    expect(scaffold(demoEntries).map((e) => `${e.mode} ${e.owner} ${e.path}`)).toEqual([
      'drwxr-xr-x root/root /',
      'dr-xr-xr-x root/root /dev',
      'dr-xr-xr-x root/root /etc',
      '-r--r--r-- root/root /etc/machine-id',
      '-r--r--r-- root/root /etc/os-release',
      '-r--r--r-- root/root /etc/resolv.conf',
      'dr-xr-xr-x root/root /etc/systemd',
      'dr-xr-xr-x root/root /etc/systemd/system',
      '-r--r--r-- root/root /etc/systemd/system/demo.service',
      '-r--r--r-- root/root /etc/systemd/system/demo.socket',
      'drwxr-xr-x root/root /nix',
      'drwxr-xr-x root/root /nix/store',
      'dr-xr-xr-x root/root /proc',
      'dr-xr-xr-x root/root /run',
      'dr-xr-xr-x root/root /sys',
      'dr-xr-xr-x root/root /tmp',
      'dr-xr-xr-x root/root /var',
      'dr-xr-xr-x root/root /var/cache',
      'dr-xr-xr-x root/root /var/lib',
      'dr-xr-xr-x root/root /var/log',
      'dr-xr-xr-x root/root /var/tmp',
    ]);
  });

  test('os-release: sorted KEY=value lines, nulls left out', async () => {
    expect(await catImage(demoImage, 'etc/os-release')).toBe('BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=demo\nPRETTY_NAME=NixOS\n');
  });

  test('unit files are copied with their contents', async () => {
    const service = await catImage(demoImage, 'etc/systemd/system/demo.service');
    expect(service).toContain(`ExecStart=${out['demo-program']}/bin/demo\n`);
    expect(await catImage(demoImage, 'etc/systemd/system/demo.socket')).toContain('ListenStream=/run/demo.sock\n');
  });

  test('the store part is the closure of the scaffold: program, shell (with its C library), scaffold', async () => {
    const storeRoots = demoEntries
      .filter((e) => /^\/nix\/store\/[^/]+$/.test(e.path))
      .map((e) => e.path.replace(/^\/nix\/store\/[a-z0-9]{32}-/, ''));
    expect(storeRoots.sort()).toEqual(['bash-host', 'demo', 'glibc-host', 'root-fs-scaffold-1.0']);
    // The unit store paths themselves are not referenced by the scaffold's copies.
    expect(demoEntries.some((e) => e.path.endsWith('-demo.service'))).toBe(false);
    const program = demoEntries.find((e) => e.path === `${out['demo-program']}/bin/demo`);
    expect(program?.mode).toBe('-r-xr-xr-x');
  });

  test('the closure matches nix-store --query --requisites of the scaffold', async () => {
    const scaffoldPath = (await evalJson(`(import ${JSON.stringify(imagesFile)}).demo.rootFsScaffold.outPath`)) as string;
    const { stdout } = await execa('nix-store', ['--query', '--requisites', scaffoldPath]);
    const inImage = demoEntries.filter((e) => /^\/nix\/store\/[^/]+$/.test(e.path)).map((e) => e.path);
    expect(inImage.sort()).toEqual(stdout.split('\n').sort());
  });

  test("mksquashfs options: xz, 1M blocks, time stamps 0", async () => {
    const info = await superblock(demoImage);
    expect(info).toContain('Compression xz');
    expect(info).toContain('Block size 1048576');
    expect(info).toMatch(/Creation or last append time Thu Jan  1 00:00:00 1970/);
    // "-Xdict-size 100%" equals xz's default for the block size, so mksquashfs
    // stores no compressor options and unsquashfs shows none.
    expect(info).not.toContain('Dictionary size');
  });

  test('rebuilding gives the same bytes (nix-build --check)', async () => {
    const result = await execa(
      'nix-build',
      ['-I', `nixpkgs=${fixtureNixpkgs}`, '--option', 'substituters', '', '--no-out-link', '--check', imagesFile, '-A', 'demo'],
      { cwd: nixsideDir, reject: false },
    );
    expect(result.stderr).not.toMatch(/may not be deterministic/);
    expect(result.exitCode).toBe(0);
  });
});

describe('an image with symlinks, contents and other options', () => {
  test('os-release carries description and homepage', async () => {
    expect(await catImage(extrasImage, 'etc/os-release')).toBe(
      'BUILD_ID=rolling\nHOME_URL=https://example.org/extras\nID=nixos\nPORTABLE_ID=extras\nPORTABLE_PRETTY_NAME=Extras: symlinks and contents\nPRETTY_NAME=NixOS\n',
    );
  });

  test('symlinks point at their objects, parents created', async () => {
    const paths = (await evalJson('with import <nixpkgs> { }; [ cacert.outPath bash.outPath libdemo.outPath hello.outPath ]')) as string[];
    const [cacert, bash, libdemo, hello] = paths as [string, string, string, string];
    const top = scaffold(extrasEntries);
    expect(top.find((e) => e.path === '/etc/ssl')).toEqual({ mode: 'lrwxrwxrwx', owner: 'root/root', path: '/etc/ssl', target: `${cacert}/etc/ssl` });
    expect(top.find((e) => e.path === '/usr/local/bin/bash')?.target).toBe(`${bash}/bin/bash`);
    expect(top.filter((e) => e.path.startsWith('/usr')).map((e) => `${e.mode} ${e.path}`)).toEqual([
      'dr-xr-xr-x /usr',
      'dr-xr-xr-x /usr/local',
      'dr-xr-xr-x /usr/local/bin',
      'lrwxrwxrwx /usr/local/bin/bash',
    ]);
    // Symlink objects and contents are in the store part, with what they need.
    for (const p of [cacert, bash, libdemo, hello]) {
      expect(extrasEntries.some((e) => e.path === p)).toBe(true);
    }
    expect(extrasEntries.some((e) => e.path === `${cacert}/etc/ssl/certs/ca-bundle.crt`)).toBe(true);
  });

  test('gzip with 128K blocks', async () => {
    const info = await superblock(extrasImage);
    expect(info).toContain('Compression gzip');
    expect(info).toContain('Block size 131072');
    expect(info).toContain('compression-level 6');
  });
});

describe('argument checks', () => {
  test('unit names must start with pname', async () => {
    const { stderr } = await evalFailure(`(import ${JSON.stringify(imagesFile)}).badUnitName.drvPath`);
    expect(stderr).toContain('Unit names must be prefixed with the service name');
  });

  test('a missing argument is named', async () => {
    const { stderr } = await evalFailure('(import <nixpkgs> { }).portableService { pname = "x"; version = "1"; }');
    expect(stderr).toMatch(/called without required argument 'units'/);
  });
});
