/**
 * `tsportable build` on every example, through the real CLI, real Nix and
 * real mksquashfs: the image's tree, modes, owners, os-release, units,
 * symlinks and closure as unsquashfs shows them; the result link and what is
 * printed; reproducible bytes across fresh caches; a cached rebuild that does
 * not run mksquashfs.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import {
  attrArgs, buildJson, examplesDir, exampleImages, imageName, jsStackTrace, tsportable, useWorkspace,
  type CliRun, type ExampleImage,
} from './cli.js';
import { makeShims } from './shims.js';
import { catImage, listImage, sha256File, storePathsIn, storePathsMentioned, superblock, type ImageEntry } from './squashfs.js';

const ws = useWorkspace();

interface Built {
  readonly example: ExampleImage;
  readonly cwd: string;
  readonly run: CliRun;
}

const built = new Map<string, Built>();

beforeAll(async () => {
  const cacheDir = await ws.dir('cache');
  await Promise.all(exampleImages.map(async (example) => {
    const cwd = await ws.dir(example.id);
    const run = await tsportable(['build', example.file, ...attrArgs(example)], { cwd, cacheDir });
    built.set(example.id, { example, cwd, run });
  }));
}, 600_000);

function imageOf(b: Built): string {
  return join(b.cwd, 'result', imageName(b.example));
}

/** What a user's os-release must be: nixpkgs' keys, sorted, nulls left out. */
const osRelease: Record<string, string> = {
  demo: 'BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=demo\nPORTABLE_PRETTY_NAME=A demo "Portable Service" for a shell program built with nix\nPRETTY_NAME=NixOS\n',
  certs: 'BUILD_ID=rolling\nHOME_URL=https://example.org/certs-check\nID=nixos\nPORTABLE_ID=certs-check\nPRETTY_NAME=NixOS\n',
  contents: 'BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=greeter\nPORTABLE_PRETTY_NAME=Hello, as a portable service\nPRETTY_NAME=NixOS\n',
  gzip: 'BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=ticker\nPRETTY_NAME=NixOS\n',
  'multi-web': 'BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=web\nPRETTY_NAME=NixOS\n',
  'multi-worker': 'BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=worker\nPRETTY_NAME=NixOS\n',
};

/** Symlinks each example asks for: image path -> store path suffix of the target. */
const symlinks: Record<string, Record<string, RegExp>> = {
  certs: {
    'bin/sh': /^\/nix\/store\/[a-z0-9]{32}-bash[^/]*\/bin\/bash$/,
    'etc/ssl': /^\/nix\/store\/[a-z0-9]{32}-[^/]*cacert[^/]*\/etc\/ssl$/,
  },
};

const scaffoldDirs = ['dev', 'etc', 'etc/systemd', 'etc/systemd/system', 'proc', 'run', 'sys', 'tmp', 'var', 'var/cache', 'var/lib', 'var/log', 'var/tmp'];
const scaffoldFiles = ['etc/machine-id', 'etc/os-release', 'etc/resolv.conf'];

/** Parent directories a symlink needs inside the image ('bin' for 'bin/sh'; none for 'etc/ssl', etc is there). */
function parents(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Follows symlinks inside the image (absolute targets are image paths) to the entry they reach. */
function resolveInImage(entries: Map<string, ImageEntry>, path: string, depth = 0): ImageEntry | undefined {
  if (depth > 20) return undefined;
  const parts = path.replace(/^\//, '').split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const e = entries.get(prefix);
    if (!e) return undefined;
    if (e.target !== undefined) {
      const base = e.target.startsWith('/') ? e.target : `${dirname(`/${prefix}`)}/${e.target}`;
      return resolveInImage(entries, [base, ...parts.slice(i)].join('/').replace(/\/+/g, '/'), depth + 1);
    }
  }
  return entries.get(parts.join('/'));
}

async function requisites(paths: readonly string[]): Promise<string[]> {
  const { stdout } = await execa('nix-store', ['--query', '--requisites', ...paths]);
  return stdout.split('\n').filter(Boolean).sort();
}

describe.each(exampleImages.map((e) => [e.id, e] as const))('build %s', (id, example) => {
  let b: Built;
  let listed: Map<string, ImageEntry> | undefined;
  beforeAll(async () => {
    b = built.get(id)!;
    if (b.run.exitCode === 0) listed = await listImage(imageOf(b));
  });
  // The image's entries; a failed build fails each test with the CLI's own error.
  const image = () => {
    if (!listed) throw new Error(`tsportable build exited ${b.run.exitCode}:\n${b.run.stderr}`);
    return listed;
  };

  test('exits 0 and prints exactly the result path; `result` links to a directory holding <pname>_<version>.raw', () => {
    expect(b.run.stderr).not.toMatch(jsStackTrace);
    expect({ exitCode: b.run.exitCode, stderr: b.run.exitCode === 0 ? '' : b.run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const link = join(b.cwd, 'result');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(b.run.stdout).toBe(`${readlinkSync(link)}\n`);
    expect(readdirSync(realpathSync(link))).toContain(imageName(example));
    expect(lstatSync(imageOf(b)).isFile()).toBe(true);
  });

  test('the root scaffold: directories, empty files, modes, owners, times', () => {
    expect(image().get('')).toMatchObject({ mode: 'drwxr-xr-x', owner: 'root/root' });
    for (const d of scaffoldDirs) expect([d, image().get(d)?.mode]).toEqual([d, 'dr-xr-xr-x']);
    for (const f of scaffoldFiles) expect([f, image().get(f)?.mode]).toEqual([f, '-r--r--r--']);
    expect(image().get('etc/machine-id')?.size).toBe(0);
    expect(image().get('etc/resolv.conf')?.size).toBe(0);
    expect(image().get('nix')?.mode).toBe('drwxr-xr-x');
    expect(image().get('nix/store')?.mode).toBe('drwxr-xr-x');
    for (const e of image().values()) {
      expect([e.path, e.owner, e.mtime]).toEqual([e.path, 'root/root', '1970-01-01 00:00']);
    }
  });

  test('nothing outside /nix but the scaffold, the units and the symlinks', () => {
    const links = Object.keys(symlinks[id] ?? {});
    const expected = new Set(['', ...scaffoldDirs, ...scaffoldFiles, 'nix', 'nix/store',
      ...example.units.map((u) => `etc/systemd/system/${u}`), ...links, ...links.flatMap(parents)]);
    const outside = [...image().keys()].filter((p) => p !== 'nix' && !p.startsWith('nix/'));
    expect(outside.sort()).toEqual([...expected].filter((p) => p !== 'nix' && p !== 'nix/store').sort());
  });

  test('etc/os-release is nixpkgs\' text', async () => {
    expect(await catImage(imageOf(b), 'etc/os-release')).toBe(osRelease[id]);
  });

  test('the units are installed under etc/systemd/system, read-only, and their programs are in the image', async () => {
    const installed = [...image().keys()].filter((p) => p.startsWith('etc/systemd/system/')).map((p) => basename(p));
    expect(installed.sort()).toEqual([...example.units].sort());
    for (const unit of example.units) {
      expect(image().get(`etc/systemd/system/${unit}`)?.mode).toBe('-r--r--r--');
      const text = await catImage(imageOf(b), `etc/systemd/system/${unit}`);
      for (const m of text.matchAll(/^Exec\w+=(.*)$/gm)) {
        for (const word of m[1]!.split(/\s+/).filter((w) => w.startsWith('/'))) {
          const target = resolveInImage(image(), word);
          expect([word, target?.mode.startsWith('-'), target?.mode.includes('r')]).toEqual([word, true, true]);
        }
        const program = resolveInImage(image(), m[1]!.split(/\s+/)[0]!);
        expect(program?.mode).toMatch(/^-r-xr-xr-x$/);
      }
    }
  });

  test('the store paths are exactly the closure of what the units, symlinks and contents name', async () => {
    let roots: string[] = [];
    for (const unit of example.units) roots.push(...storePathsMentioned(await catImage(imageOf(b), `etc/systemd/system/${unit}`)));
    for (const link of Object.keys(symlinks[id] ?? {})) roots.push(...storePathsMentioned(image().get(link)?.target ?? ''));
    roots = [...new Set(roots)];
    expect(roots.length).toBeGreaterThan(0);
    expect(storePathsIn(image())).toEqual(await requisites(roots));
    // Each store path is there with its files, not as an empty directory.
    for (const p of storePathsIn(image())) {
      expect([p, [...image().keys()].some((k) => k.startsWith(`${p.slice(1)}/`) || image().get(p.slice(1))?.mode.startsWith('-'))]).toEqual([p, true]);
    }
  });

  test('symlinks point at their objects, and the objects are in the image', () => {
    for (const [link, target] of Object.entries(symlinks[id] ?? {})) {
      const e = image().get(link);
      expect(e?.mode).toBe('lrwxrwxrwx');
      expect(e?.target).toMatch(target);
      expect(resolveInImage(image(), link)).toBeDefined();
      for (const p of parents(link)) expect(image().get(p)?.mode).toBe('dr-xr-xr-x');
    }
  });

  test('compression and block size as asked, created at time 0', async () => {
    const s = await superblock(imageOf(b));
    expect(s).toEqual(id === 'gzip'
      ? { compression: 'gzip', blockSize: 128 * 1024, created: 'Thu Jan  1 00:00:00 1970' }
      : { compression: 'xz', blockSize: 1024 * 1024, created: 'Thu Jan  1 00:00:00 1970' });
  });
});

describe('units as written in the examples', () => {
  test('demo: the service runs the demo program, the socket is the file next to default.nix', async () => {
    const b = built.get('demo')!;
    const service = await catImage(imageOf(b), 'etc/systemd/system/demo.service');
    expect(service).toMatch(/^\[Unit\]\nDescription=Greets from inside a portable service image\n\n\[Service\]\nExecStart=\/nix\/store\/[a-z0-9]{32}-demo-greeter\/bin\/demo-greeter\nDynamicUser=yes\n$/);
    expect(await catImage(imageOf(b), 'etc/systemd/system/demo.socket')).toBe(readFileSync(join(examplesDir, 'demo', 'demo.socket'), 'utf8'));
  });

  test('certs: ExecStart runs the check script with /bin/sh', async () => {
    const service = await catImage(imageOf(built.get('certs')!), 'etc/systemd/system/certs-check.service');
    expect(service).toMatch(/\nExecStart=\/bin\/sh \/nix\/store\/[a-z0-9]{32}-certs-check\n/);
  });

  test('contents: hello is in the image with its program', async () => {
    const entries = await listImage(imageOf(built.get('contents')!));
    const hello = storePathsIn(entries).filter((p) => /-hello/.test(p));
    expect(hello).toHaveLength(1);
    expect(entries.get(`${hello[0]!.slice(1)}/bin/hello`)?.mode).toBe('-r-xr-xr-x');
  });

  test('multi: worker has both its units, each with its own program', async () => {
    const image = imageOf(built.get('multi-worker')!);
    expect(await catImage(image, 'etc/systemd/system/worker.service')).toMatch(/ExecStart=\/nix\/store\/[a-z0-9]{32}-worker-run\/bin\/worker-run\n/);
    expect(await catImage(image, 'etc/systemd/system/worker-cleanup.service')).toMatch(/ExecStart=\/nix\/store\/[a-z0-9]{32}-worker-clean\/bin\/worker-clean\n/);
  });
});

describe('what build prints and links', () => {
  const demo = exampleImages.find((e) => e.id === 'demo')!;

  test('--json prints one object describing the image', async () => {
    const cwd = await ws.dir('json');
    const run = await tsportable(['build', demo.file, '--json'], { cwd, cacheDir: await ws.dir('cache') });
    expect(run.exitCode).toBe(0);
    const printed = JSON.parse(run.stdout) as unknown;
    expect(Array.isArray(printed)).toBe(false);
    const o = buildJson(run.stdout);
    expect(o.image).toBe(join(o.resultDir, 'demo_1.0.raw'));
    expect(existsSync(o.image)).toBe(true);
    expect(o.outLink).toBe(join(cwd, 'result'));
    expect(readlinkSync(join(cwd, 'result'))).toBe(o.resultDir);
    expect(typeof o.cached).toBe('boolean');
    expect(o.key).toMatch(/^[0-9a-f]{64}$/);
    const entries = await listImage(o.image);
    expect([...o.closure].sort()).toEqual(storePathsIn(entries));
    expect(o.references.length).toBeGreaterThan(0);
    for (const r of o.references) expect(o.closure).toContain(r);
  });

  test('-o LINK names the link; no `result` appears', async () => {
    const cwd = await ws.dir('out-link');
    const run = await tsportable(['build', demo.file, '-o', 'my-image'], { cwd, cacheDir: await ws.dir('cache') });
    expect(run.exitCode).toBe(0);
    expect(readdirSync(cwd)).toEqual(['my-image']);
    expect(run.stdout).toBe(`${readlinkSync(join(cwd, 'my-image'))}\n`);
    expect(existsSync(join(cwd, 'my-image', 'demo_1.0.raw'))).toBe(true);
  });

  test('--no-out-link creates nothing in the working directory and prints the path', async () => {
    const cwd = await ws.dir('no-out-link');
    const run = await tsportable(['build', demo.file, '--no-out-link'], { cwd, cacheDir: await ws.dir('cache') });
    expect(run.exitCode).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(run.stdout).toMatch(/^\/\S+\n$/);
    expect(existsSync(join(run.stdout.trim(), 'demo_1.0.raw'))).toBe(true);
  });

  test('FILE defaults to ./default.nix', async () => {
    const run = await tsportable(['build', '--no-out-link'], { cwd: join(examplesDir, 'gzip'), cacheDir: await ws.dir('cache') });
    expect(run.exitCode).toBe(0);
    expect(existsSync(join(run.stdout.trim(), 'ticker_1.0.0.raw'))).toBe(true);
  });

  test('a file of several images asks for -A', async () => {
    const cwd = await ws.dir('multi-no-attr');
    const run = await tsportable(['build', join(examplesDir, 'multi', 'default.nix')], { cwd, cacheDir: await ws.dir('cache') });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/-A/);
    expect(run.stderr).toMatch(/web/);
    expect(run.stderr).toMatch(/worker/);
    expect(run.stderr).not.toMatch(jsStackTrace);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('reproducible and cached', () => {
  const demo = exampleImages.find((e) => e.id === 'demo')!;

  async function buildWatched(cacheDir: string, shimDir: string) {
    const shims = await makeShims(shimDir, ['mksquashfs'], 'pass-through');
    const run = await tsportable(['build', demo.file, '--json', '--no-out-link'], { cwd: await ws.dir('repro'), cacheDir, env: { PATH: shims.path } });
    expect(run.exitCode).toBe(0);
    // `mksquashfs -version` may be asked for the cache key; only a real run makes an image.
    const squashRuns = (await shims.calls()).filter((c) => c.length > 1 && c[1] !== '-version');
    return { json: buildJson(run.stdout), squashRuns: squashRuns.length };
  }

  test('two fresh caches give byte-identical images; a rebuild reuses the image without mksquashfs', async () => {
    const cacheA = await ws.dir('repro-cache-a');
    const cacheB = await ws.dir('repro-cache-b');
    const first = await buildWatched(cacheA, await ws.dir('shims-1'));
    const second = await buildWatched(cacheB, await ws.dir('shims-2'));
    expect([first.json.cached, first.squashRuns]).toEqual([false, 1]);
    expect([second.json.cached, second.squashRuns]).toEqual([false, 1]);
    expect(first.json.image).not.toBe(second.json.image);
    expect(await sha256File(first.json.image)).toBe(await sha256File(second.json.image));

    const again = await buildWatched(cacheA, await ws.dir('shims-3'));
    expect([again.json.cached, again.squashRuns]).toEqual([true, 0]);
    expect(again.json.image).toBe(first.json.image);
    expect(await sha256File(again.json.image)).toBe(await sha256File(first.json.image));
  });
});
