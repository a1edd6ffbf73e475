/**
 * The cached rebuild (src/cli/rebuild.ts), through the real CLI, Nix and
 * mksquashfs: a rebuild with nothing changed is answered from the record of
 * the last build without starting Nix, and prints and links what a full
 * build would; anything the build depended on that changed (an imported
 * file, an argument, a file in a search path directory Nix reads, a variable
 * read by builtins.getEnv, a store path that is no longer valid) takes the
 * full path and gives the right image. Nix's programs are shims that log
 * their calls, so "without evaluating or building" is counted, not assumed.
 *
 * The tests of the describe block run in order on one project and cache: each
 * starts from the record the one before left.
 */
import { appendFile, cp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { buildJson, cliPath, jsStackTrace, testNixpkgs, tsportable, useWorkspace, type BuildJson, type CliRun } from './cli.js';
import { makeShims, nixPrograms, type Shims } from './shims.js';
import { catImage, sha256File } from './squashfs.js';
import { packageRoot } from '../../src/paths.js';

const ws = useWorkspace();

/** What the fast path says on stderr (rebuild.ts); a full build says "realising the inputs of ...". */
const answered = /\(nothing the build read has changed\)/;

const project = `{ pkgs ? import <nixpkgs> { }, greeting ? "hello" }:
let
  part = builtins.trace "reading part.nix" (import ./part.nix);
  suffix = builtins.getEnv "TSP_REBUILD_SUFFIX";
in
pkgs.portableService {
  pname = "rebuilt";
  version = "1.0";
  units = [
    (pkgs.writeText "rebuilt.service" ''
      [Service]
      ExecStart=\${pkgs.coreutils}/bin/echo \${greeting} \${part} \${suffix}
    '')
  ];
  # A store path of this test's own, in the image's closure, that nothing refers to.
  contents = [ (pkgs.writeTextDir "share/rebuilt/NONCE" "marker") ];
}
`;

interface Build {
  readonly run: CliRun;
  readonly json: BuildJson;
  /** Answered from the record. */
  readonly fast: boolean;
  /**
   * The Nix processes this build started, but `nix-store --check-validity`:
   * the fast path asks it when the Nix database changed since (rebuild.ts).
   */
  readonly nixCalls: number;
  /** The unit file's text, as the image holds it. */
  readonly unit: string;
}

let cwd: string;
let cacheDir: string;
let nixpkgs: string;
let shims: Shims;
let env: Record<string, string>;

beforeAll(async () => {
  cwd = await ws.dir('project');
  cacheDir = await ws.dir('cache');
  nixpkgs = join(await ws.dir('nixpkgs-copy'), 'nixpkgs');
  // A copy of the test package set, its paths to tsportable's own set made absolute.
  await cp(testNixpkgs, nixpkgs, { recursive: true });
  for (const file of ['default.nix', 'lib/default.nix']) {
    const text = await readFile(join(nixpkgs, file), 'utf8');
    await writeFile(join(nixpkgs, file), text.replace(/(\.\.\/)+nix\//, `${join(packageRoot, 'nix')}/`));
  }
  const nonce = `${process.pid}-${Date.now()}`;
  await writeFile(join(cwd, 'default.nix'), project.replace('NONCE', nonce));
  await writeFile(join(cwd, 'part.nix'), '"part-one"\n');
  shims = await makeShims(await ws.dir('shims'), nixPrograms, 'pass-through');
  env = { PATH: shims.path, TSP_REBUILD_SUFFIX: 'first' };
});

async function build(extra: readonly string[] = []): Promise<Build> {
  const calls = async () => (await shims.calls()).filter((c) => !c.includes('--check-validity')).length;
  const before = await calls();
  const run = await tsportable(['build', '--json', '-I', `nixpkgs=${nixpkgs}`, ...extra], { cwd, cacheDir, env });
  expect({ exitCode: run.exitCode, stderr: run.exitCode === 0 ? '' : run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  const json = buildJson(run.stdout);
  return {
    run, json, fast: answered.test(run.stderr), nixCalls: (await calls()) - before,
    unit: await catImage(json.image, 'etc/systemd/system/rebuilt.service'),
  };
}

describe('a cached rebuild', () => {
  let first: Build;

  test('with nothing changed: no evaluation or realisation, and the stdout and link of a full build that reuses the image', async () => {
    first = await build();
    expect([first.fast, first.json.cached]).toEqual([false, false]);
    expect(first.unit).toMatch(/echo hello part-one first$/m);

    const again = await build();
    expect([again.fast, again.nixCalls]).toEqual([true, 0]);
    expect(again.run.stderr).not.toMatch(/realising the inputs/);
    // What evaluation said is said again, as an evaluating rebuild would.
    expect(first.run.stderr).toMatch(/^trace: reading part\.nix$/m);
    expect(again.run.stderr).toMatch(/^trace: reading part\.nix$/m);
    expect(readlinkSync(join(cwd, 'result'))).toBe(first.json.resultDir);

    // A result link pointed elsewhere meanwhile is pointed back, as a build would.
    await rm(join(cwd, 'result'));
    await symlink('/nonexistent', join(cwd, 'result'));
    const relinked = await build();
    expect(relinked.fast).toBe(true);
    expect(readlinkSync(join(cwd, 'result'))).toBe(first.json.resultDir);

    // The same run without its record: the full path, which finds the image in the cache.
    await rm(join(cacheDir, 'rebuilds'), { recursive: true });
    const full = await build();
    expect(full.fast).toBe(false);
    expect(full.nixCalls).toBeGreaterThan(0);
    expect(again.run.stdout).toBe(full.run.stdout);
    expect(readlinkSync(join(cwd, 'result'))).toBe(full.json.resultDir);
  });

  test('after a change to an imported file: the full path, the new image, then answered again', async () => {
    await writeFile(join(cwd, 'part.nix'), '"part-two"\n');
    const changed = await build();
    expect(changed.fast).toBe(false);
    expect(changed.unit).toMatch(/part-two/);
    expect(changed.json.image).not.toBe(first.json.image);
    expect(readlinkSync(join(cwd, 'result'))).toBe(changed.json.resultDir);
    const again = await build();
    expect([again.fast, again.nixCalls, again.json.image]).toEqual([true, 0, changed.json.image]);
  });

  test('another --argstr value, or a changed file in the -I directory: the full path', async () => {
    const other = await build(['--argstr', 'greeting', 'howdy']);
    expect(other.fast).toBe(false);
    expect(other.unit).toMatch(/echo howdy part-two first$/m);
    expect((await build(['--argstr', 'greeting', 'howdy'])).fast).toBe(true);

    // Nix reads the package set's files; nothing in this process does.
    await appendFile(join(nixpkgs, 'default.nix'), '# touched by the rebuild test\n');
    const touched = await build();
    expect(touched.fast).toBe(false);
    expect(touched.nixCalls).toBeGreaterThan(0);
    expect(touched.unit).toMatch(/echo hello part-two first$/m);
    expect((await build()).fast).toBe(true);
  });

  test('a changed variable read by builtins.getEnv: the full path and the new image', async () => {
    env = { ...env, TSP_REBUILD_SUFFIX: 'second' };
    const changed = await build();
    expect(changed.fast).toBe(false);
    expect(changed.unit).toMatch(/echo hello part-two second$/m);
    expect((await build()).fast).toBe(true);
  });

  test('answered into a reader that has gone away (| head -c 0): a quiet end by SIGPIPE, as a full build ends', async () => {
    expect((await build()).fast).toBe(true);
    // The environment the build() runs get (execa's), so that the same record answers; stdout closed before the CLI writes.
    const child = spawn(process.execPath, [cliPath, 'build', '--json', '-I', `nixpkgs=${nixpkgs}`], {
      cwd, env: { ...process.env, NO_COLOR: '1', TSPORTABLE_CACHE_DIR: cacheDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    expect({ code, signal, answered: answered.test(stderr), stack: jsStackTrace.test(stderr) })
      .toEqual({ code: null, signal: 'SIGPIPE', answered: true, stack: false });
  });

  test('a store path of the image that is no longer valid: the full path, which realises it again', async () => {
    const before = await build();
    expect(before.fast).toBe(true);
    // This test's own store path (the nonce), which nothing refers to.
    const marker = before.json.closure.find((p) => existsSync(join(p, 'share', 'rebuilt')))!;
    await execa('nix-store', ['--delete', marker]);
    expect(existsSync(marker)).toBe(false);
    const after = await build();
    expect(after.fast).toBe(false);
    expect(existsSync(marker)).toBe(true);
    expect(after.json.image).toBe(before.json.image);
    expect(await sha256File(after.json.image)).toBe(await sha256File(before.json.image));
    expect((await build()).fast).toBe(true);
  });

  test('an image gc removed: its record goes with it, and the next build makes the image again', async () => {
    const before = await build();
    expect(before.fast).toBe(true);
    await rm(join(cwd, 'result'));
    const gc = await tsportable(['gc'], { cwd, cacheDir, env });
    expect(gc.exitCode).toBe(0);
    expect(existsSync(before.json.resultDir)).toBe(false);
    expect(await readdir(join(cacheDir, 'rebuilds'))).toEqual([]);
    const after = await build();
    expect([after.fast, after.json.cached]).toEqual([false, false]);
    expect(after.json.image).toBe(before.json.image);
  });
});

test('an evaluation that reads the clock is never answered from a record', async () => {
  const dir = await ws.dir('clock');
  await writeFile(join(dir, 'default.nix'), `{ pkgs ? import <nixpkgs> { } }:
pkgs.portableService {
  pname = "clock";
  version = "1.0";
  units = [ (pkgs.writeText "clock.service" "[Service]\\nExecStart=/bin/true \${toString (builtins.currentTime / 100000000)} ${process.pid}-${Date.now()}\\n") ];
}
`);
  const clockCache = await ws.dir('clock-cache');
  for (let i = 0; i < 2; i++) {
    const run = await tsportable(['build', '-I', `nixpkgs=${testNixpkgs}`], { cwd: dir, cacheDir: clockCache });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toMatch(answered);
    expect(run.stderr).toMatch(/realising the inputs/);
  }
  expect(existsSync(join(clockCache, 'rebuilds'))).toBe(false);
});
