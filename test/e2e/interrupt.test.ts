/**
 * What a build leaves behind. A finished build leaves the image in the cache,
 * the link, and nothing in TMPDIR; a build interrupted with Ctrl-C while
 * mksquashfs runs leaves no image, no work directory, the previous `result`
 * as it was, and exits 130. To interrupt at a known moment, `mksquashfs` in
 * PATH is a shim that records its start and then waits (as `sleep`) instead
 * of compressing; the test signals the CLI once the shim has started.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { cliPath, exampleImages, jsStackTrace, tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();
const demo = exampleImages.find((e) => e.id === 'demo')!;

/**
 * A build of the demo in `cwd` with `program` in PATH replaced by a shim that,
 * when its arguments match the shell pattern `when`, records them and waits
 * (as `sleep`) instead of running; otherwise it runs the real program. Returns
 * the running CLI once the shim waits (with the arguments it was given), or
 * fails when the CLI ended first.
 */
async function buildUntilShimWaits(name: string, program: string, when: string, cwd: string, env: Record<string, string>) {
  const shimDir = await ws.dir(`${name}-shims`);
  const started = join(shimDir, 'started');
  const real = (await execa('sh', ['-c', `command -v ${program}`])).stdout.trim();
  // The arguments are written whole, then renamed: the test reads the file as soon as it exists.
  await writeFile(join(shimDir, program),
    `#!/bin/sh\ncase " $* " in ${when}) echo "$@" > '${started}.part'; mv '${started}.part' '${started}'; exec sleep 60;; esac\nexec '${real}' "$@"\n`);
  await chmod(join(shimDir, program), 0o755);
  const child = execa(process.execPath, [cliPath, 'build', demo.file], {
    cwd, reject: false, stdin: 'ignore', detached: true,
    env: { NO_COLOR: '1', ...env, PATH: `${shimDir}${delimiter}${process.env.PATH ?? ''}` },
  });
  let ended = false;
  void child.finally(() => { ended = true; });
  while (!existsSync(started) && !ended) await sleep(50);
  expect(ended).toBe(false);
  return { child, args: readFileSync(started, 'utf8') };
}

async function listAll(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir, { recursive: true })).map(String).sort() : [];
}

test('a finished build leaves nothing in TMPDIR', async () => {
  const cwd = await ws.dir('finished');
  const tmp = await ws.dir('finished-tmp');
  const run = await tsportable(['build', demo.file], { cwd, cacheDir: await ws.dir('finished-cache'), env: { TMPDIR: tmp } });
  expect(run.exitCode).toBe(0);
  expect(await listAll(tmp)).toEqual([]);
});

test('Ctrl-C during mksquashfs: exit 130, no image, no work directory, previous result untouched', async () => {
  const cwd = await ws.dir('interrupted');
  const tmp = await ws.dir('interrupted-tmp');
  const cacheDir = await ws.dir('interrupted-cache');
  await mkdir(join(cwd, 'previous'));
  await writeFile(join(cwd, 'previous', 'demo_0.9.raw'), 'an earlier image');
  await symlink(join(cwd, 'previous'), join(cwd, 'result'));

  // Until the build is inside mksquashfs making the image (`mksquashfs -version` runs the real one).
  const { child, args } = await buildUntilShimWaits('interrupted', 'mksquashfs', '*" -noappend "*', cwd, { TSPORTABLE_CACHE_DIR: cacheDir, TMPDIR: tmp });
  expect(args).toMatch(/-noappend/);
  child.kill('SIGINT');
  const r = await child;

  expect(r.exitCode).toBe(130);
  expect(String(r.stderr)).toMatch(/interrupt/i);
  expect(String(r.stderr)).not.toMatch(jsStackTrace);
  expect(String(r.stdout)).toBe('');
  expect(await readlink(join(cwd, 'result'))).toBe(join(cwd, 'previous'));
  expect(await readdir(join(cwd, 'previous'))).toEqual(['demo_0.9.raw']);
  expect((await readdir(cwd)).sort()).toEqual(['previous', 'result']);
  expect((await listAll(cacheDir)).filter((p) => p.endsWith('.raw'))).toEqual([]);
  // Whatever stays in the cache must be a finished entry, never a work directory; the build's hold on its image is released
  // (syntax/ and facts/ hold what runs remember: parsed files, store path facts).
  expect((await listAll(cacheDir)).filter((p) => !/^(syntax|facts)(\/|$)/.test(p))).toEqual(['roots']);
  expect(await listAll(tmp)).toEqual([]);
});

/**
 * Killed while Nix evaluates what the bridge asks (before any build; a
 * SIGKILL, or a closed terminal's SIGHUP, runs no clean-up): the program
 * goes to `nix-instantiate` on its standard input, so there is no file to
 * leave behind. `nix-instantiate` in PATH is a shim that waits in the
 * bridge's evaluations (`--read-write-mode`).
 */
test('killed while Nix evaluates the bridge\'s program: nothing left in TMPDIR, no link', async () => {
  const cwd = await ws.dir('bridge');
  const tmp = await ws.dir('bridge-tmp');
  const { child, args } = await buildUntilShimWaits('bridge', 'nix-instantiate', '*" --read-write-mode "*', cwd, { TSPORTABLE_CACHE_DIR: await ws.dir('bridge-cache'), TMPDIR: tmp });
  expect(args).toMatch(/^--eval /);
  child.kill('SIGKILL');
  const r = await child;
  // The shim's sleep, left without its parent.
  process.kill(-child.pid!, 'SIGKILL');

  expect(r.signal).toBe('SIGKILL');
  expect(String(r.stdout)).toBe('');
  expect(await readdir(cwd)).toEqual([]);
  expect(await listAll(tmp)).toEqual([]);
});

/**
 * Ctrl-C while Nix builds: the unit is a derivation whose builder writes its
 * pid and sleeps, so the test interrupts at a known moment. A terminal sends
 * SIGINT to the whole process group (tsportable, nix-store, the builder);
 * `kill -INT` reaches tsportable alone, which must stop Nix itself. Either
 * way the user reads only that the build was interrupted, and nothing is left:
 * no builder, no build directory, no image, no link.
 */
describe.each([
  ['Ctrl-C on a terminal (SIGINT to the process group)', 'group'],
  ['kill -INT of tsportable alone', 'process'],
] as const)('%s while Nix builds', (_name, target) => {
  test('exit 130, only "interrupted", the builder stopped, nothing left behind', async () => {
    const cwd = await ws.dir(`nix-${target}`);
    const tmp = await ws.dir(`nix-${target}-tmp`);
    const cacheDir = await ws.dir(`nix-${target}-cache`);
    const markers = await ws.dir(`nix-${target}-markers`);
    // The builder runs as a build user: it must reach the markers directory and write in it.
    await chmod(ws.root, 0o711);
    await chmod(markers, 0o1777);
    const marker = join(markers, 'builder.pid');
    await writeFile(join(cwd, 'default.nix'), `{ pkgs ? import <nixpkgs> { } }:
pkgs.portableService {
  pname = "svc";
  version = "1.0";
  units = [
    (derivation {
      name = "svc.service";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      nonce = "${process.pid}-${Date.now()}-${target}";
      args = [ "-c" "echo $$ > ${marker}; echo slow unit build started; exec /bin/sleep 120" ];
    })
  ];
}
`);
    const started = Date.now();
    const child = execa(process.execPath, [cliPath, 'build'], {
      cwd, reject: false, stdin: 'ignore', detached: true,
      env: { NO_COLOR: '1', TSPORTABLE_CACHE_DIR: cacheDir, TMPDIR: tmp },
    });
    let ended = false;
    void child.finally(() => { ended = true; });
    // The pid is complete once its newline is written.
    const pidWritten = () => existsSync(marker) && readFileSync(marker, 'utf8').endsWith('\n');
    while (!pidWritten() && !ended) await sleep(50);
    expect(ended).toBe(false);
    const builder = Number(readFileSync(marker, 'utf8'));
    expect(builder).toBeGreaterThan(1);
    expect(alive(builder)).toBe(true);
    if (target === 'group') process.kill(-child.pid!, 'SIGINT');
    else child.kill('SIGINT');
    const r = await child;

    expect(r.exitCode).toBe(130);
    const stderr = String(r.stderr);
    expect(stderr).toMatch(/^error: .*interrupted/m);
    expect(stderr).not.toMatch(/hint:|a Nix build failed|build log|builder for/);
    expect(stderr).not.toMatch(jsStackTrace);
    expect(String(r.stdout)).toBe('');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(alive(builder)).toBe(false);
    expect((await readdir(cwd)).sort()).toEqual(['default.nix']);
    expect((await listAll(cacheDir)).filter((p) => !/^(syntax|facts)(\/|$)/.test(p))).toEqual([]);
    expect(await listAll(tmp)).toEqual([]);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
