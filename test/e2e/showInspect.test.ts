/**
 * `show` and `inspect` through the CLI on every example: `show` previews the
 * image without any Nix process (Nix programs in PATH are shims that fail and
 * record the call) — except where the file asks for data only Nix knows
 * (`lib.getExe pkgs.hello` reads `meta.mainProgram` of a nixpkgs package):
 * then one `nix-instantiate --eval` answers it, and still nothing is built or
 * realised. Its JSON validates against docs/show.schema.json and
 * agrees with the image `build` then makes; `show --closure` lists the same
 * store paths the image holds; `inspect` reads the built images and fails on
 * an image systemd would refuse.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { validatePlan } from '../show/showSchema.js';
import { attrArgs, exampleImages, imageName, jsStackTrace, tsportable, useExampleBuilds, useWorkspace, type BuildJson } from './cli.js';
import { makeShims, nixPrograms } from './shims.js';
import { catImage, listImage, storePathsIn } from './squashfs.js';

const ws = useWorkspace();
const examples = useExampleBuilds(ws);
const built = (id: string): BuildJson => examples.built(id);

interface Plan {
  imageFileName: string; pname: string; version: string; osRelease: string;
  units: { name: string; source: string; text?: string }[];
  symlinks: { symlink: string; object: string }[];
  contents: { description: string }[];
  mksquashfs: { compression: string[]; blockSize: string; options: string[] };
  warnings: unknown[];
  closure?: { path: string; size: number }[];
}

/** Examples whose evaluation asks Nix about a package's data (not a build). */
const asksNix = new Set(['contents']);

/** Shims for a `show` run: failing where no Nix may run, logging pass-through where Nix may answer questions. */
async function showShims(id: string, suffix: string) {
  return makeShims(await ws.dir(`no-nix-${id}-${suffix}`), nixPrograms, asksNix.has(id) ? 'pass-through' : 'fail');
}

/** No Nix process at all; or, for `asksNix` examples, one evaluation and nothing built or realised. */
function expectNoBuild(id: string, calls: string[][]): void {
  if (!asksNix.has(id)) return expect(calls).toEqual([]);
  expect(calls.map((c) => c[0])).toEqual(['nix-instantiate']);
  expect(calls[0]).toContain('--eval');
}

describe.each(exampleImages.map((e) => [e.id, e] as const))('show %s', (id, example) => {
  const args = [example.file, ...attrArgs(example)];

  test('text: the plan\'s key lines, exit 0, and no Nix build', async () => {
    const noNix = await showShims(id, 'text');
    const run = await tsportable(['show', ...args], { cwd: ws.root, cacheDir: examples.cacheDir, env: { PATH: noNix.path } });
    expectNoBuild(id, await noNix.calls());
    expect(run.stderr).not.toMatch(jsStackTrace);
    expect({ exitCode: run.exitCode, stderr: run.exitCode === 0 ? '' : run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Image ${imageName(example)}`);
    expect(lines).toContain(`  PORTABLE_ID=${example.pname}`);
    expect(lines).toContain(`Units (${example.units.length})`);
    for (const unit of example.units) expect(run.stdout).toMatch(new RegExp(`^  /etc/systemd/system/${unit.replace('.', '\\.')} \\(`, 'm'));
    const squash = id === 'gzip' ? '-b 128K -comp gzip -Xcompression-level 6' : '-b 1M -comp xz -Xdict-size 100%';
    expect(lines).toContain(`mksquashfs -noappend -exit-on-error -keep-as-directory -all-root -root-mode 755 ${squash}`);
    if (id === 'certs') {
      expect(lines).toContain('Symlinks (2)');
      expect(run.stdout).toMatch(/^ {2}\/etc\/ssl -> .*cacert.*\/etc\/ssl$/m);
      expect(run.stdout).toMatch(/^ {2}\/bin\/sh -> .*bash.*\/bin\/bash$/m);
    }
    if (id === 'contents') expect(lines).toContain('Contents (1)');
  });

  test('--json validates against the schema and describes the image build makes', async () => {
    const noNix = await showShims(id, 'json');
    const run = await tsportable(['show', ...args, '--json'], { cwd: ws.root, cacheDir: examples.cacheDir, env: { PATH: noNix.path } });
    expectNoBuild(id, await noNix.calls());
    expect({ exitCode: run.exitCode, output: run.exitCode === 0 ? '' : run.stdout }).toEqual({ exitCode: 0, output: '' });
    const plan = JSON.parse(run.stdout) as Plan;
    expect(validatePlan(plan)).toEqual([]);
    expect([plan.imageFileName, plan.pname, plan.version]).toEqual([imageName(example), example.pname, example.version]);
    expect(plan.units.map((u) => u.name).sort()).toEqual([...example.units].sort());
    expect(plan.warnings).toEqual([]);
    expect(plan.closure).toBeUndefined();
    const image = built(id).image;
    expect(plan.osRelease).toBe(await catImage(image, 'etc/os-release'));
    // Where the plan knows a unit's text without Nix, it is the installed text up to store paths.
    for (const unit of plan.units.filter((u) => u.text !== undefined && !u.text.includes('${'))) {
      expect(await catImage(image, `etc/systemd/system/${unit.name}`)).toBe(unit.text);
    }
  });

  test('--closure lists the image\'s store paths with their sizes', async () => {
    const run = await tsportable(['show', ...args, '--closure', '--json'], { cwd: ws.root, cacheDir: examples.cacheDir });
    expect({ exitCode: run.exitCode, output: run.exitCode === 0 ? '' : run.stdout }).toEqual({ exitCode: 0, output: '' });
    const plan = JSON.parse(run.stdout) as Plan;
    expect(validatePlan(plan)).toEqual([]);
    const paths = plan.closure!.map((c) => c.path).sort();
    expect(paths).toEqual(storePathsIn(await listImage(built(id).image)));
    // The same size for each store path as inspect reads from the image: one definition (src/inspect/sizes.ts).
    const inspected = await tsportable(['inspect', '--json', built(id).image], { cwd: ws.root, cacheDir: examples.cacheDir });
    const storePaths = (JSON.parse(inspected.stdout) as { storePaths: { path: string; size: number }[] }).storePaths;
    expect(plan.closure).toEqual(storePaths);
    expect(plan.closure!.some((c) => c.size > 0)).toBe(true);

    const text = await tsportable(['show', ...args, '--closure'], { cwd: ws.root, cacheDir: examples.cacheDir });
    expect(text.exitCode).toBe(0);
    const listed = [...text.stdout.matchAll(/^ +[\d.]+ (?:B|KiB|MiB|GiB) +(\/nix\/store\/\S+)$/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(paths);
  });
});

describe.each(exampleImages.map((e) => [e.id, e] as const))('inspect %s', (id, example) => {
  test('text and --json: the image\'s superblock, os-release, units, store paths; no findings; exit 0', async () => {
    const image = built(id).image;
    const run = await tsportable(['inspect', image], { cwd: ws.root, cacheDir: examples.cacheDir });
    expect(run.stderr).not.toMatch(jsStackTrace);
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Image ${imageName(example)}`);
    expect(lines[1]).toMatch(id === 'gzip' ? /^Superblock compression gzip\b.*, block size 131072 / : /^Superblock compression xz\b.*, block size 1048576 /);
    expect(lines).toContain(`  PORTABLE_ID=${example.pname}`);
    for (const unit of example.units) expect(lines).toContain(`  /etc/systemd/system/${unit}`);
    expect(lines).toContain('  ok: the image follows systemd\'s rules for portable services, and its programs can start inside it');

    const json = await tsportable(['inspect', '--json', image], { cwd: ws.root, cacheDir: examples.cacheDir });
    expect(json.exitCode).toBe(0);
    const report = JSON.parse(json.stdout) as {
      fileName: string; superblock: { compression: string; blockSize: number; creationTime: number };
      osRelease: { text: string }; units: { name: string }[]; storePaths: { path: string; size: number }[]; findings: unknown[];
    };
    expect(report.fileName).toBe(imageName(example));
    expect(report.superblock).toMatchObject({ compression: id === 'gzip' ? 'gzip' : 'xz', blockSize: id === 'gzip' ? 131072 : 1048576, creationTime: 0 });
    expect(report.osRelease.text).toBe(await catImage(image, 'etc/os-release'));
    expect(report.units.map((u) => u.name).sort()).toEqual([...example.units].sort());
    expect(report.storePaths.map((s) => s.path).sort()).toEqual(storePathsIn(await listImage(image)));
    expect(report.findings).toEqual([]);
  });
});

describe('inspect on images systemd would refuse', () => {
  test('a file name whose prefix matches no unit: exit 1, one error line per unit', async () => {
    const dir = await ws.dir('broken');
    const wrong = join(dir, 'wrong_1.0.raw');
    await copyFile(built('demo').image, wrong);
    const run = await tsportable(['inspect', wrong], { cwd: dir, cacheDir: examples.cacheDir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(jsStackTrace);
    const errors = run.stdout.split('\n').filter((l) => /^\s*error:/.test(l));
    expect(errors.some((l) => l.includes('demo.service') && l.includes("'wrong'"))).toBe(true);
    expect(errors.some((l) => l.includes('demo.socket') && l.includes("'wrong'"))).toBe(true);
    const json = await tsportable(['inspect', '--json', wrong], { cwd: dir, cacheDir: examples.cacheDir });
    expect(json.exitCode).toBe(1);
    const findings = (JSON.parse(json.stdout) as { findings: { severity: string; code: string; unit?: string }[] }).findings;
    expect(findings.filter((f) => f.code === 'unit-prefix').map((f) => [f.severity, f.unit]).sort())
      .toEqual([['error', 'demo.service'], ['error', 'demo.socket']]);
  });

  test('a directory holding one image (a result link) is that image; one holding none says so', async () => {
    const dir = await ws.dir('result-dir');
    const run = await tsportable(['inspect', '--json', dirname(built('demo').image)], { cwd: dir, cacheDir: examples.cacheDir });
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.stdout) as { fileName: string }).fileName).toBe('demo_1.0.raw');
    const empty = await tsportable(['inspect', dir], { cwd: dir, cacheDir: examples.cacheDir });
    expect([empty.exitCode, empty.stdout]).toEqual([1, '']);
    expect(empty.stderr).toContain(`error: inspect: the directory '${dir}' holds no .raw image`);
  });

  test('show on an image points to inspect instead of reading it as Nix', async () => {
    const dir = await ws.dir('show-image');
    const run = await tsportable(['show', built('demo').image], { cwd: dir, cacheDir: examples.cacheDir });
    expect([run.exitCode, run.stdout]).toEqual([1, '']);
    expect(run.stderr).toContain(`error: '${built('demo').image}' is a portable-service image, not a Nix file: show previews an image from the Nix file that describes it; to look inside a built image, run: tsportable inspect ${built('demo').image}`);
    expect(run.stderr).not.toMatch(jsStackTrace);
  });

  test('a file that is not an image: exit 1 with a message, no stack trace', async () => {
    const dir = await ws.dir('not-an-image');
    const file = join(dir, 'junk_1.0.raw');
    await writeFile(file, 'not squashfs\n');
    const run = await tsportable(['inspect', file], { cwd: dir, cacheDir: examples.cacheDir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/junk_1\.0\.raw/);
    expect(run.stderr).not.toMatch(jsStackTrace);
  });
});
