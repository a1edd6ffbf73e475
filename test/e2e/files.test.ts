/**
 * Files the user's environment gets wrong, through the real CLI: a Nix file
 * that cannot be read (Nix's "permission denied", not "does not exist"), an
 * image cache that cannot be used, a result link that cannot be made. Each
 * gives one clear message, exit 1, no JavaScript stack, and nothing
 * half-written.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { jsStackTrace, tsportable, useWorkspace, withoutRootOverride } from './cli.js';

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
