/**
 * Files the user's environment gets wrong, through the real CLI: a Nix file
 * that cannot be read (Nix's "permission denied", not "does not exist"), an
 * image cache that cannot be used, a result link that cannot be made. Each
 * gives one clear message, exit 1, no JavaScript stack, and nothing
 * half-written.
 */
import { chmod, mkdir, readdir, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { exampleImages, jsStackTrace, tsportable, useWorkspace, withoutRootOverride } from './cli.js';

const ws = useWorkspace();

describe('a Nix file that cannot be read', () => {
  let cwd: string;
  let cacheDir: string;
  beforeAll(async () => {
    cwd = await ws.dir('unreadable');
    cacheDir = await ws.dir('unreadable-cache');
    await writeFile(join(cwd, 'secret.nix'), '{ a = 1; }\n');
    await chmod(join(cwd, 'secret.nix'), 0o000);
    await writeFile(join(cwd, 'imports.nix'), 'let s = import ./secret.nix; in s.a\n');
    await mkdir(join(cwd, 'closed'));
    await writeFile(join(cwd, 'closed', 'inner.nix'), '1\n');
    await chmod(join(cwd, 'closed'), 0o000);
  });

  /** nix-instantiate and tsportable, both bound by the file modes. */
  async function both(args: readonly string[]) {
    const [program, ...argv] = [...withoutRootOverride(), 'nix-instantiate', '--eval', ...args];
    const nix = await execa(program!, argv, { cwd, reject: false });
    const ours = await tsportable(['eval', ...args], { cwd, cacheDir, wrapper: withoutRootOverride() });
    return { nix: { exitCode: nix.exitCode, stderr: String(nix.stderr) }, ours };
  }

  test.each([
    ['the file named on the command line', ['secret.nix'], "opening file '$/secret.nix': Permission denied"],
    ['an imported file', ['imports.nix'], "opening file '$/secret.nix': Permission denied"],
    ['a file in a directory that cannot be searched', ['closed/inner.nix'], "getting status of '$/closed/inner.nix': Permission denied"],
    ['builtins.readFile', ['-E', 'builtins.readFile ./secret.nix'], "opening file '$/secret.nix': Permission denied"],
  ])('%s: permission denied, as nix-instantiate says', async (_name, args, message) => {
    const { nix, ours } = await both(args);
    const expected = message.replace('$', cwd);
    expect(nix.stderr).toContain(`error: ${expected}`);
    expect(ours.stderr).toContain(`error: ${expected}`);
    expect(ours.stderr).not.toMatch(/does not exist/);
    expect(ours.stderr).not.toMatch(jsStackTrace);
    expect(ours.exitCode).toBe(1);
    expect(nix.exitCode).toBe(1);
  });

  test('the import is the position of the error', async () => {
    const { ours } = await both(['imports.nix']);
    expect(ours.stderr).toContain(`at ${join(cwd, 'imports.nix')}:1:9:`);
  });

  test('a missing file still does not exist', async () => {
    const run = await tsportable(['eval', 'missing.nix'], { cwd, cacheDir, wrapper: withoutRootOverride() });
    expect(run.stderr).toContain(`error: path '${join(cwd, 'missing.nix')}' does not exist`);
    expect(run.exitCode).toBe(1);
  });
});

const demo = exampleImages.find((e) => e.id === 'demo')!;

/** The error's lines: stderr from its `error:` on (the build's steps come before it). */
function errorLines(stderr: string): string[] {
  const at = stderr.indexOf('error:');
  return at < 0 ? [] : stderr.slice(at).split('\n').filter((l) => l !== '');
}

/**
 * Makes `dir` a directory nobody can write in, root included: root ignores
 * mode bits, not the immutable attribute. Returns the function that undoes it.
 */
async function unwritable(dir: string): Promise<() => Promise<void>> {
  await chmod(dir, 0o555);
  if (process.getuid?.() !== 0) return () => chmod(dir, 0o755);
  await execa('chattr', ['+i', dir]);
  return async () => {
    await execa('chattr', ['-i', dir]);
    await chmod(dir, 0o755);
  };
}

describe('an image cache that cannot be used', () => {
  let cwd: string;
  let file: string;
  beforeAll(async () => {
    cwd = await ws.dir('cache-settings');
    file = join(cwd, 'a-file');
    await writeFile(file, 'not a directory\n');
  });

  /** Builds the demo with these cache settings (TSPORTABLE_CACHE_DIR empty unless given). */
  async function build(env: Record<string, string>) {
    const run = await tsportable(['build', demo.file], { cwd, cacheDir: '', env: { XDG_CACHE_HOME: '', ...env } });
    expect(run.stderr).not.toMatch(jsStackTrace);
    expect(run.stdout).toBe('');
    expect(await readdir(cwd)).toEqual(['a-file']);
    return run;
  }

  test.each([
    ['TSPORTABLE_CACHE_DIR is a file', { TSPORTABLE_CACHE_DIR: '$' }, 'TSPORTABLE_CACHE_DIR=$', '$', 'it is not a directory'],
    ['TSPORTABLE_CACHE_DIR is under a file', { TSPORTABLE_CACHE_DIR: '$/cache' }, 'TSPORTABLE_CACHE_DIR=$/cache', '$/cache', '$ is not a directory'],
    ['XDG_CACHE_HOME is a file', { XDG_CACHE_HOME: '$' }, 'XDG_CACHE_HOME=$', '$/tsportable', '$ is not a directory'],
    ['HOME is a file', { HOME: '$' }, 'HOME=$', '$/.cache/tsportable', '$ is not a directory'],
  ])('%s: one line naming the setting, the path and the problem; exit 1', async (_name, env, setting, path, problem) => {
    const fill = (s: string) => s.replaceAll('$', file);
    const run = await build(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)])));
    expect(errorLines(run.stderr)).toEqual([`error: cannot use the image cache ${fill(path)} (${fill(setting)}): ${fill(problem)}`]);
    expect(run.exitCode).toBe(1);
  });

  test('a cache directory nobody may write in (not even root): exit 1, nothing written', async () => {
    const cache = await ws.dir('immutable-cache');
    const undo = await unwritable(cache);
    try {
      const run = await build({ TSPORTABLE_CACHE_DIR: cache });
      expect(errorLines(run.stderr)).toEqual([
        `error: cannot use the image cache ${cache} (TSPORTABLE_CACHE_DIR=${cache}): it cannot be written (${process.getuid?.() === 0 ? 'Operation not permitted' : 'Permission denied'})`,
      ]);
      expect(run.exitCode).toBe(1);
      expect(await readdir(cache)).toEqual([]);
    } finally {
      await undo();
    }
  });

  test('a relative XDG_CACHE_HOME is ignored, as the XDG specification asks: the cache is under HOME', async () => {
    const home = await ws.dir('home');
    const run = await tsportable(['build', demo.file, '--no-out-link'], { cwd, cacheDir: '', env: { XDG_CACHE_HOME: 'relative/cache', HOME: home } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim().startsWith(join(home, '.cache', 'tsportable') + '/')).toBe(true);
    expect(await readdir(cwd)).toEqual(['a-file']);
  });
});

describe('a result link that cannot be made', () => {
  let cwd: string;
  let cacheDir: string;
  beforeAll(async () => {
    cwd = await ws.dir('links');
    cacheDir = await ws.dir('links-cache');
    await writeFile(join(cwd, 'a-file'), 'not a directory\n');
  });

  /** The image in the cache: a finished entry, whatever happened to the link. */
  async function cachedImages(): Promise<string[]> {
    return (await readdir(cacheDir, { recursive: true })).map(String).filter((p) => p.endsWith('.raw') && !p.startsWith('roots/'));
  }

  test('-o some/missing/dir/result creates the directories, as nix-build does', async () => {
    const run = await tsportable(['build', demo.file, '-o', 'some/missing/dir/result'], { cwd, cacheDir });
    expect(run.exitCode).toBe(0);
    expect(await readlink(join(cwd, 'some', 'missing', 'dir', 'result'))).toBe(run.stdout.trim());
    expect(await readdir(join(cwd, 'some', 'missing', 'dir'))).toEqual(['result']);
  });

  test.each([
    ['in a directory nobody may write in', 'locked/result', 'cannot write in $/locked'],
    ['whose parents would be made in a directory nobody may write in', 'locked/new/dir/result', 'cannot write in $/locked'],
    ['under a file', 'a-file/result', '$/a-file is not a directory'],
    ['where a file is', 'a-file', 'a file or directory of that name exists and is not a symlink'],
  ])('a link %s: exit 1 naming the link, nothing half-written, the image in the cache', async (_name, link, problem) => {
    const locked = join(cwd, 'locked');
    await mkdir(locked, { recursive: true });
    const undo = await unwritable(locked);
    try {
      const before = (await readdir(cwd)).sort();
      const run = await tsportable(['build', demo.file, '-o', link], { cwd, cacheDir });
      expect(run.stderr).toContain(`error: cannot create the result link ${join(cwd, link)}: ${problem.replace('$', cwd)}`);
      expect(run.stderr).not.toMatch(jsStackTrace);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect((await readdir(cwd)).sort()).toEqual(before);
      expect(await readdir(locked)).toEqual([]);
      expect(await cachedImages()).toHaveLength(1);
    } finally {
      await undo();
    }
  });
});
