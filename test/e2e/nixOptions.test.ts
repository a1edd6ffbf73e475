/**
 * `--option NAME VALUE` and nix-build's build flags, through the real CLI
 * and the real Nix. The evaluator's settings are tsportable's own and behave
 * as in Nix (compared with nix-instantiate 2.8 where 2.8 has the setting,
 * with current Nix's messages where it differs or has none); every other
 * setting, and the build flags, reach the Nix processes: their argv (shims
 * on PATH that log and run the real program) and their behaviour (a build
 * timed out by `--option timeout 1`). `--dry-run` builds nothing and
 * `--check` rebuilds the image and names the first difference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildJson, jsStackTrace, tsportable, useWorkspace, type CliRun } from './cli.js';
import { makeShims } from './shims.js';

const ws = useWorkspace();
let cwd: string;
let cacheDir: string;
const run = (args: readonly string[], env?: Record<string, string>): Promise<CliRun> => tsportable(args, { cwd, cacheDir, env });

/** A unit built by its own derivation, new for every nonce, whose builder says `said` on stderr and may sleep. */
function serviceFile(opts: { said?: string; sleep?: number } = {}): string {
  const script = `echo ${opts.said ?? 'building'} >&2; ${opts.sleep ? `/bin/sleep ${opts.sleep}; ` : ''}printf '[Service]\\\\nExecStart=/bin/true\\\\n' > $out`;
  return `{ pkgs ? import <nixpkgs> { }, nonce }:
pkgs.portableService {
  pname = "opt";
  version = "1.0";
  units = [ (derivation { name = "opt.service"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "\${nonce}; ${script}" ]; }) ];
}
`;
}

let nonces = 0;
/** A shell no-op that makes each build's derivation new. */
const nonce = () => `: ${process.pid}-${Date.now()}-${nonces++}`;

beforeAll(async () => {
  cwd = await ws.dir('options');
  cacheDir = await ws.dir('cache');
  await writeFile(join(cwd, 'default.nix'), serviceFile());
  await writeFile(join(cwd, 'logs.nix'), serviceFile({ said: 'hello-from-the-builder' }));
  await writeFile(join(cwd, 'slow.nix'), serviceFile({ sleep: 20 }));
  await writeFile(join(cwd, 'data.txt'), 'some data\n');
});

async function nixInstantiate(args: readonly string[]) {
  const r = await execa('nix-instantiate', args, { cwd, reject: false });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('settings passed to Nix', () => {
  test('--option and the build flags are on the argv of the bridge\'s Nix processes; the evaluator\'s own settings are not', async () => {
    const shims = await makeShims(await ws.dir('shims-argv'), ['nix-instantiate', 'nix-store'], 'pass-through');
    const r = await run(['build', '--argstr', 'nonce', nonce(), '--no-out-link',
      '--option', 'max-silent-time', '600', '--option', 'abort-on-warn', 'false', '--option', 'allow-import-from-derivation', 'true',
      '-j', '2', '--cores', '1', '--builders', '', '-k', '-K', '-vv', '--quiet'], { PATH: shims.path });
    expect({ exitCode: r.exitCode, stderr: r.exitCode === 0 ? '' : r.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const [asked, ...calls] = await shims.calls();
    // The setting tsportable does not know is shown to nix-instantiate first, for its warnings.
    expect(asked).toEqual(['nix-instantiate', '--option', 'max-silent-time', '600', '--eval', '--expr', 'null']);
    // The bridge's processes (its evaluation batch, the realisation); the image's closure queries are the image builder's.
    const bridges = calls.filter((c) => c[0] === 'nix-instantiate' || c.includes('--realise'));
    expect(bridges.length).toBeGreaterThan(1);
    for (const call of bridges) {
      expect(call.slice(1, 7)).toEqual(['--option', 'max-silent-time', '600', '--option', 'allow-import-from-derivation', 'true']);
      expect(call).not.toContain('abort-on-warn');
    }
    const realise = calls.filter((c) => c[0] === 'nix-store' && c.includes('--realise'));
    expect(realise).toHaveLength(1);
    const flags = realise[0]!.slice(realise[0]!.indexOf('--realise') + 1).filter((a) => !a.startsWith('/nix/store/'));
    expect(flags).toEqual(['--no-gc-warning', '--max-jobs', '2', '--cores', '1', '--builders', '', '--keep-going', '--keep-failed', '-v', '-v', '--quiet']);
  });

  test('--option timeout 1 reaches nix-store --realise: a 20-second build fails after a second, exit 100', async () => {
    const started = Date.now();
    const r = await run(['build', 'slow.nix', '--argstr', 'nonce', nonce(), '--option', 'timeout', '1']);
    expect(r.exitCode).toBe(100);
    expect(r.stderr).toMatch(/timed out after 1 seconds/);
    expect(r.stderr).not.toMatch(jsStackTrace);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('a setting neither tsportable nor Nix knows: Nix\'s warning, as nix-instantiate gives it; the command goes on', async () => {
    const ours = await run(['eval', '--option', 'no-such-setting', 'x', '-E', '1 + 1']);
    const nix = await nixInstantiate(['--option', 'no-such-setting', 'x', '--eval', '-E', '1 + 1']);
    expect(ours).toEqual({ exitCode: 0, stdout: '2\n', stderr: "warning: unknown setting 'no-such-setting'\n" });
    expect(nix).toEqual({ exitCode: 0, stdout: '2', stderr: "warning: unknown setting 'no-such-setting'" });
  });

  test('-L is accepted; the build log is on stderr with or without it, as nix-build shows it', async () => {
    const plain = await run(['build', 'logs.nix', '--argstr', 'nonce', nonce(), '--no-out-link']);
    const logged = await run(['build', 'logs.nix', '--argstr', 'nonce', nonce(), '--no-out-link', '-L']);
    expect([plain.exitCode, logged.exitCode]).toEqual([0, 0]);
    for (const r of [plain, logged]) expect(r.stderr).toContain('hello-from-the-builder');
  });
});

describe('the evaluator\'s settings', () => {
  test('a value the setting cannot take: Nix\'s warning, and the setting keeps its default', async () => {
    const r = await run(['eval', '--option', 'pure-eval', 'maybe', '-E', 'builtins ? currentSystem']);
    expect(r).toEqual({ exitCode: 0, stdout: 'true\n', stderr: "warning: Boolean setting 'pure-eval' has invalid value 'maybe'\n" });
  });

  test('abort-on-warn: the first warning is an error (current Nix\'s message) that tryEval does not catch', async () => {
    const expr = 'builtins.tryEval (builtins.warn "careful" 1)';
    expect((await run(['eval', '-E', expr])).stdout).toBe('{ success = true; value = 1; }\n');
    const r = await run(['eval', '--option', 'abort-on-warn', 'true', '-E', expr]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^evaluation warning: careful\nerror: aborting to reveal stack trace of warning, as abort-on-warn is set$/m);
  });

  test('max-call-depth: deeper calls are Nix\'s stack overflow; the default allows them', async () => {
    const expr = 'let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 200';
    expect(await run(['eval', '-E', expr])).toEqual({ exitCode: 0, stdout: '200\n', stderr: '' });
    expect((await run(['eval', '--option', 'max-call-depth', '1K', '-E', expr])).stdout).toBe('200\n');
    const r = await run(['eval', '--option', 'max-call-depth', '100', '-E', expr]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: stack overflow; max-call-depth exceeded$/m);
  });

  describe('pure-eval, as nix-instantiate --option pure-eval true', () => {
    test('currentSystem and currentTime are left out, getEnv gives "", no search path, pathExists says false outside the store', async () => {
      const expr = `[ (builtins ? currentSystem) (builtins ? currentTime) (builtins.getEnv "HOME") builtins.nixPath
        (builtins.pathExists ./data.txt) (builtins.tryEval <nixpkgs>) builtins.storeDir ]`;
      const args = ['--option', 'pure-eval', 'true', '--strict', '-I', `nixpkgs=${cwd}`, '-E', expr];
      const nix = await nixInstantiate(['--eval', ...args]);
      expect(nix).toEqual({ exitCode: 0, stdout: '[ false false "" [ ] false { success = false; value = false; } "/nix/store" ]', stderr: '' });
      expect(await run(['eval', ...args])).toEqual({ exitCode: 0, stdout: `${nix.stdout}\n`, stderr: '' });
    });

    const failing: readonly (readonly [string, string])[] = [
      ['builtins.currentSystem', "error: attribute 'currentSystem' missing"],
      ['<nixpkgs>', "error: cannot look up '<nixpkgs>' in pure evaluation mode (use '--impure' to override)"],
      ['builtins.storePath /nix/store/00000000000000000000000000000000-x', "error: 'builtins.storePath' is not allowed in pure evaluation mode"],
      ['builtins.fetchurl "file:///nonexistent"', "error: in pure evaluation mode, 'fetchurl' requires a 'sha256' argument"],
    ];
    test.each(failing)('%s fails as in Nix', async (expr, message) => {
      const args = ['--option', 'pure-eval', 'true', '-I', `nixpkgs=${cwd}`, '-E', expr];
      const nix = await nixInstantiate(['--eval', ...args]);
      const ours = await run(['eval', ...args]);
      expect([ours.exitCode, nix.exitCode]).toEqual([1, 1]);
      expect(nix.stderr.split('\n')[0]).toBe(message);
      expect(ours.stderr.split('\n')[0]).toBe(message);
    });

    test('no paths outside the store: readFile, import, the file on the command line (current Nix\'s words; 2.8 says "pure eval mode")', async () => {
      const forbidden = (p: string) => `error: access to absolute path '${p}' is forbidden in pure evaluation mode (use '--impure' to override)`;
      const data = join(cwd, 'data.txt');
      for (const [args, path] of [[['-E', 'builtins.readFile ./data.txt'], data], [['-E', 'import ./default.nix'], join(cwd, 'default.nix')], [['default.nix'], join(cwd, 'default.nix')]] as const) {
        const r = await run(['eval', '--option', 'pure-eval', 'true', ...args]);
        expect(r.exitCode).toBe(1);
        expect(r.stderr.split('\n')[0]).toBe(forbidden(path));
        const nix = await nixInstantiate(['--eval', '--option', 'pure-eval', 'true', ...args]);
        expect(nix.stderr.split('\n')[0]).toBe(forbidden(path).replace('pure evaluation mode', 'pure eval mode'));
      }
      // The store stays readable.
      const r = await run(['eval', '--option', 'pure-eval', 'true', '-E', 'builtins.readFile (builtins.toFile "t" "in the store")']);
      expect(r).toEqual({ exitCode: 0, stdout: '"in the store"\n', stderr: '' });
    });
  });

  test('restrict-eval: what the search path names may be read, nothing else; getEnv gives "" (as nix-instantiate)', async () => {
    const inside = ['--option', 'restrict-eval', 'true', '-I', cwd, '-E', 'builtins.readFile ./data.txt'];
    const outside = ['--option', 'restrict-eval', 'true', '-E', 'builtins.readFile ./data.txt'];
    const env = ['--option', 'restrict-eval', 'true', '-E', 'builtins.getEnv "HOME"'];
    for (const args of [inside, env]) {
      const nix = await nixInstantiate(['--eval', ...args]);
      expect(await run(['eval', ...args])).toEqual({ exitCode: 0, stdout: `${nix.stdout}\n`, stderr: '' });
    }
    const nix = await nixInstantiate(['--eval', ...outside]);
    const ours = await run(['eval', ...outside]);
    const message = `error: access to absolute path '${join(cwd, 'data.txt')}' is forbidden in restricted mode`;
    expect([nix.stderr.split('\n')[0], ours.stderr.split('\n')[0]]).toEqual([message, message]);
  });

  test('allow-import-from-derivation false: reading a derivation\'s output during evaluation is refused (current Nix\'s message)', async () => {
    const expr = `builtins.readFile (derivation { name = "ifd"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "${nonce()}; echo built > $out" ]; })`;
    const refused = await run(['eval', '--option', 'allow-import-from-derivation', 'false', '-E', expr]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.split('\n')[0]).toMatch(
      /^error: cannot build '\/nix\/store\/[a-z0-9]{32}-ifd\.drv\^out' during evaluation because the option 'allow-import-from-derivation' is disabled$/);
    expect(await run(['eval', '-E', expr])).toEqual({ exitCode: 0, stdout: '"built\\n"\n', stderr: '' });
  });
});

describe('build --dry-run', () => {
  test('says what Nix would build and the image, builds nothing, no result, nothing on stdout', async () => {
    const shims = await makeShims(await ws.dir('shims-dry'), ['nix-instantiate', 'nix-store'], 'pass-through');
    const dir = await ws.dir('dry');
    const cache = await ws.dir('dry-cache');
    await copyFile(join(cwd, 'default.nix'), join(dir, 'default.nix'));
    const r = await tsportable(['build', '--dry-run', '--argstr', 'nonce', nonce()], { cwd: dir, cacheDir: cache, env: { PATH: shims.path } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    const drv = /^this derivation will be built:\n {2}(\/nix\/store\/[a-z0-9]{32}-opt\.service\.drv)$/m.exec(r.stderr)?.[1];
    expect(drv).toBeDefined();
    expect(r.stderr).toMatch(/^this image would be made \(or reused from tsportable's cache\):\n {2}opt_1\.0\.raw$/m);
    expect(existsSync(join(dir, 'result'))).toBe(false);
    expect(existsSync(cache) ? (await execa('find', [cache, '-name', '*.raw'])).stdout : '').toBe('');
    const realise = (await shims.calls()).filter((c) => c[0] === 'nix-store' && c.includes('--realise'));
    expect(realise.map((c) => c.includes('--dry-run'))).toEqual([true]);
    // Nothing was built: the derivation's output is not in the store.
    const { stdout: out } = await execa('nix-store', ['--query', '--outputs', drv!]);
    expect((await execa('nix-store', ['--check-validity', out], { reject: false })).exitCode).not.toBe(0);
  });
});

describe('build --check', () => {
  let dir: string;
  let cache: string;
  let image: string;
  const args = ['build', '--argstr', 'nonce', ': check-1', '--json'];

  beforeAll(async () => {
    dir = await ws.dir('check');
    cache = await ws.dir('check-cache');
    await copyFile(join(cwd, 'default.nix'), join(dir, 'default.nix'));
  });

  test('without the image in the cache: nothing to check against, exit 1', async () => {
    const r = await tsportable(['build', '--check', '--argstr', 'nonce', ': check-1'], { cwd: dir, cacheDir: cache });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: the image opt_1\.0\.raw is not in tsportable's cache \(.*\), so checking it is not possible; build it first$/m);
  });

  test('the same bytes again: exit 0, and the result link as a build makes it', async () => {
    const first = await tsportable(args, { cwd: dir, cacheDir: cache });
    expect(first.exitCode).toBe(0);
    image = buildJson(first.stdout).image;
    await rm(join(dir, 'result'));
    const checked = await tsportable([...args, '--check'], { cwd: dir, cacheDir: cache });
    expect(checked.exitCode).toBe(0);
    expect(checked.stderr).not.toMatch(/error/);
    expect(buildJson(checked.stdout).image).toBe(image);
    expect(existsSync(join(dir, 'result', 'opt_1.0.raw'))).toBe(true);
  });

  test('a cached image that differs from the rebuild: exit 104 (nix-build --check\'s), naming the first differing file', async () => {
    // The cached image as a different build would have left it: one byte of os-release changed, all else the same.
    const tree = join(await ws.dir('check-tree'), 'root');
    await execa('unsquashfs', ['-no-progress', '-d', tree, image]);
    const osRelease = join(tree, 'etc', 'os-release');
    const text = readFileSync(osRelease, 'utf8');
    expect(text).toContain('ID=nixos\n');
    await writeFile(osRelease, text.replace('ID=nixos\n', 'ID=nixoz\n'));
    const tampered = `${tree}.raw`;
    await execa('mksquashfs', [tree, tampered, '-noappend', '-all-root', '-no-progress', '-quiet'], { env: { SOURCE_DATE_EPOCH: '0' } });
    await chmod(image, 0o644);
    await copyFile(tampered, image);
    const before = readFileSync(image);
    const r = await tsportable([...args, '--check'], { cwd: dir, cacheDir: cache });
    expect(r.exitCode).toBe(104);
    expect(r.stderr).toMatch(new RegExp(`^error: the image '${image.replace(/[.]/g, '\\.')}' may not be deterministic: a rebuild differs: the contents of '/etc/os-release' differ$`, 'm'));
    expect(r.stderr).not.toMatch(jsStackTrace);
    // The cache is left as it was, and the check leaves no work directory behind.
    expect(readFileSync(image).equals(before)).toBe(true);
    expect((await execa('find', [cache, '-name', '.tmp-*'])).stdout).toBe('');
  });
});
