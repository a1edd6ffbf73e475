/**
 * The habits of command-line tools, through the real CLI: usage without a
 * command, `help COMMAND`, the version, "did you mean" for a mistyped flag or
 * command with Nix's pointer to `--help`, and errors on stderr as Nix renders
 * them whatever the flags (`--json` adds the error as data on stdout for
 * build, show and inspect, valid against docs/error.schema.json; `eval
 * --json` prints nothing on stdout, as nix-instantiate); a reader that goes
 * away (`| head`) ends the CLI quietly, by SIGPIPE, as it ends `seq`.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../../src/paths.js';
import { validateError } from '../show/showSchema.js';
import { cliPath, jsStackTrace, testNixpkgs, tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();
let cwd: string;
let cacheDir: string;
const run = (args: readonly string[]) => tsportable(args, { cwd, cacheDir });

beforeAll(async () => {
  cwd = await ws.dir('habits');
  cacheDir = await ws.dir('cache');
  await writeFile(join(cwd, 'broken.nix'), '{ pkgs ? import <nixpkgs> { } }:\npkgs.portableService {\n  pname = servicename;\n}\n');
});

describe('usage', () => {
  test('tsportable alone prints the usage on stderr and fails', async () => {
    const r = await run([]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: tsportable <command>/);
    expect(r.stderr).toContain('  build ');
  });

  test('--help and help print it on stdout', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await run(args);
      expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Usage: tsportable <command>/);
    }
  });

  test('help COMMAND is COMMAND --help', async () => {
    for (const name of ['build', 'show', 'inspect', 'eval']) {
      const viaHelp = await run(['help', name]);
      const direct = await run([name, '--help']);
      expect(viaHelp).toEqual(direct);
      expect(direct.exitCode).toBe(0);
      expect(direct.stdout).toMatch(new RegExp(`^Usage: tsportable ${name} `));
    }
  });

  test('-V, --version and version print the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['-V'], ['--version'], ['version']]) {
      expect(await run(args)).toEqual({ exitCode: 0, stdout: `tsportable ${version}\n`, stderr: '' });
    }
  });

  test('the exit codes are listed in --help: 1, 2, 100 and 130', async () => {
    const help = (await run(['--help'])).stdout;
    const section = help.slice(help.indexOf('Exit codes:'));
    for (const code of ['0', '1', '2', '100', '130']) expect(section).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });
});

describe('mistyped flags and commands', () => {
  const cases: readonly (readonly [string[], string, string, string])[] = [
    [['build', '--no-outlink'], "unrecognised flag '--no-outlink'", 'Did you mean --no-out-link?', 'tsportable build --help'],
    [['show', '--clousre'], "unrecognised flag '--clousre'", 'Did you mean --closure?', 'tsportable show --help'],
    [['eval', '--strct', '-E', '1'], "unrecognised flag '--strct'", 'Did you mean --strict?', 'tsportable eval --help'],
    [['biuld'], "'biuld' is not a recognised command", 'Did you mean build?', 'tsportable --help'],
    [['help', 'shwo'], "'shwo' is not a recognised command", 'Did you mean show?', 'tsportable --help'],
  ];
  test.each(cases)('%j', async (args, message, hint, help) => {
    const r = await run(args);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`error: ${message}`);
    expect(lines[1]).toMatch(new RegExp(`^ +hint: ${hint.replace(/[?.]/g, '\\$&')}$`));
    expect(lines.at(-1)).toBe(`Try '${help}' for more information.`);
  });

  test('a flag far from every flag gets no suggestion', async () => {
    const r = await run(['build', '--frobnicate']);
    expect(r.stderr).toBe("error: unrecognised flag '--frobnicate'\nTry 'tsportable build --help' for more information.\n");
  });

  test('compound short flags are split as Nix splits them: -A1 is -A 1, -Aa is -A -a', async () => {
    const list = await run(['eval', '-E', '[ 5 6 ]', '-A1']);
    expect({ exitCode: list.exitCode, stdout: list.stdout }).toEqual({ exitCode: 0, stdout: '6\n' });
    const letters = await run(['eval', '-E', '{ a = 1; }', '-Aa']);
    const nix = await execa('nix-instantiate', ['--eval', '-E', '{ a = 1; }', '-Aa'], { cwd, reject: false });
    expect([letters.exitCode, nix.exitCode]).toEqual([1, 1]);
    for (const stderr of [letters.stderr, String(nix.stderr)]) expect(stderr).toMatch(/^error: attribute '-a' in selection path '-a' not found$/m);
  });
});

describe('errors go to stderr whatever the flags', () => {
  test('eval --json: the error on stderr as Nix renders it, nothing on stdout (as nix-instantiate --eval --json)', async () => {
    const ours = await run(['eval', '--json', '-E', 'throw "no"']);
    const nix = await execa('nix-instantiate', ['--eval', '--json', '-E', 'throw "no"'], { cwd, reject: false });
    expect([ours.exitCode, nix.exitCode]).toEqual([1, 1]);
    expect([ours.stdout, String(nix.stdout)]).toEqual(['', '']);
    expect(ours.stderr).toMatch(/^error: no$/m);
    expect(String(nix.stderr)).toMatch(/^error: no$/m);
  });

  test.each([['show'], ['build']])('%s --json: the error on stderr, and as data on stdout valid against docs/error.schema.json', async (command) => {
    const file = join(cwd, 'broken.nix');
    const plain = await run([command, file]);
    const json = await run([command, '--json', file]);
    expect([plain.exitCode, json.exitCode]).toEqual([1, 1]);
    expect(json.stderr).toBe(plain.stderr);
    expect(json.stderr).toMatch(/^error: undefined variable 'servicename'$/m);
    expect(json.stderr).toContain(`${file}:3:11`);
    expect(json.stderr).not.toMatch(jsStackTrace);
    const data = JSON.parse(json.stdout) as { error: { kind: string; message: string; span: { file: string; line: number; column: number } } };
    expect(validateError(data)).toEqual([]);
    expect(data.error).toMatchObject({ kind: 'parse', message: "undefined variable 'servicename'", span: { file, line: 3, column: 11 } });
  });

  test('inspect --json of a missing image: on stderr, and as data on stdout', async () => {
    const r = await run(['inspect', '--json', 'missing.raw']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: inspect: 'missing\.raw' does not exist$/m);
    // Not a mistake in the command line: no pointer to --help.
    expect(r.stderr).not.toContain("Try 'tsportable");
    expect(validateError(JSON.parse(r.stdout))).toEqual([]);
  });

  test('a usage error with --json has the pointer to --help on stderr and the data on stdout', async () => {
    const r = await run(['show', '--json', 'a.nix', 'b.nix']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Try 'tsportable show --help' for more information.");
    const data = JSON.parse(r.stdout) as { error: { kind: string } };
    expect(validateError(data)).toEqual([]);
    expect(data.error.kind).toBe('usage');
  });
});

describe('a reader that goes away', () => {
  /** Runs `script` in bash with $1 = node, $2 = the CLI, $3 = a file for the CLI's stderr; returns what bash printed and that file. */
  async function pipeline(script: string) {
    const errFile = join(cwd, `stderr-${Math.random().toString(36).slice(2)}`);
    const r = await execa('bash', ['-c', script, 'bash', process.execPath, cliPath, errFile], {
      cwd, reject: false, env: { NO_COLOR: '1', TSPORTABLE_CACHE_DIR: cacheDir },
    });
    return { stdout: String(r.stdout), cliStderr: readFileSync(errFile, 'utf8') };
  }

  test('eval --strict of a long list | head -c 20: the first bytes, then a quiet end by SIGPIPE (status 141, as seq | head)', async () => {
    const big = 'builtins.genList (x: x) 500000';
    const ours = await pipeline(`"$1" "$2" eval --strict -E '${big}' 2>"$3" | head -c 20; echo " \${PIPESTATUS[0]}"`);
    expect(ours).toEqual({ stdout: '[ 0 1 2 3 4 5 6 7 8  141', cliStderr: '' });
    const seq = await pipeline('seq 1000000 2>"$3" | head -c 2 >/dev/null; echo "${PIPESTATUS[0]}"');
    expect(seq.stdout).toBe('141');
  });

  test('the same on stderr: a long trace into a reader that goes away ends quietly by SIGPIPE', async () => {
    const r = await pipeline(`"$1" "$2" eval -E 'builtins.trace (builtins.genList (x: x) 100000) 1' 2>&1 >"$3" | head -c 6; echo " \${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe('trace: 141');
  });

  test('a non-blocking stdout whose reader is slow: every byte arrives, in order, exit 0', async () => {
    // Node makes a pipe it writes through process.stdout non-blocking: the CLI, loaded after that in
    // the same process, meets a full pipe (EAGAIN) while the reader sleeps.
    const starter = 'process.stdout.write(""); require(process.argv[1]);';
    const list = 'builtins.genList (x: x) 200000';
    const r = await pipeline(`"$1" -e '${starter}' "$2" eval --strict -E '${list}' 2>"$3" | (sleep 1; md5sum); echo "\${PIPESTATUS[0]}"`);
    const expected = await execa(process.execPath, [cliPath, 'eval', '--strict', '-E', list], { env: { TSPORTABLE_CACHE_DIR: cacheDir } });
    const md5 = (await execa('md5sum', { input: `${expected.stdout}\n` })).stdout;
    expect(r).toEqual({ stdout: `${md5}\n0`, cliStderr: '' });
  });

  test('stdout on a full disk: one line on stderr, exit 1, no stack', async () => {
    const r = await pipeline(`"$1" "$2" eval --strict -E 'builtins.genList (x: x) 500000' >/dev/full 2>"$3"; echo "$?"`);
    expect(r.stdout).toBe('1');
    expect(r.cliStderr).toBe('tsportable: cannot write to stdout: ENOSPC: no space left on device, write\n');
  });
});

describe('the command as installed (bin/tsportable.js run by its #! line)', () => {
  // Node reads every certificate of NODE_EXTRA_CA_CERTS before running any
  // script (half of its start-up where the variable names the system's
  // bundle); tsportable opens no TLS connection, so its #! line starts Node
  // without it and puts it back for evaluation and the programs it runs.
  let env: Record<string, string>;
  beforeAll(() => {
    env = { NO_COLOR: '1', TSPORTABLE_CACHE_DIR: cacheDir, NODE_EXTRA_CA_CERTS: '/nonexistent/extra ca.pem' };
  });

  test('Node does not read NODE_EXTRA_CA_CERTS, and evaluation still sees it', async () => {
    const r = await execa(cliPath, ['eval', '-E', 'builtins.getEnv "NODE_EXTRA_CA_CERTS"'], { cwd, env, reject: false });
    expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ exitCode: 0, stdout: '"/nonexistent/extra ca.pem"', stderr: '' });
    // Its stand-in is gone from what evaluation sees.
    const stash = await execa(cliPath, ['eval', '-E', 'builtins.getEnv "TSPORTABLE_NODE_EXTRA_CA_CERTS"'], { cwd, env });
    expect(stash.stdout).toBe('""');
  });

  test('the bundle is mapped, not read: the process\'s own memory map lists dist/tsportable.cjs', async () => {
    const r = await execa(cliPath, ['eval', '--json', '-E', 'builtins.readFile /proc/self/maps'], { cwd, env });
    const mapped = (JSON.parse(r.stdout) as string).split('\n').map((line) => line.split(/\s+/)[5]);
    expect(mapped).toContain(join(packageRoot, 'dist', 'tsportable.cjs'));
  });

  test('the programs it starts get it back (the same run through node itself: Node warns of the missing file)', async () => {
    const shims = await ws.dir('ca-shims');
    await writeFile(join(shims, 'nix-instantiate'), '#!/bin/sh\necho "saw NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS" >&2\nexit 3\n', { mode: 0o755 });
    const args = ['eval', '-I', `nixpkgs=${testNixpkgs}`, '-E', '(import <nixpkgs> { }).hello.outPath'];
    const withShims = { ...env, PATH: `${shims}:${process.env.PATH}` };
    const installed = await execa(cliPath, args, { cwd, env: withShims, reject: false });
    expect(installed.stderr).toMatch(/^error: saw NODE_EXTRA_CA_CERTS=\/nonexistent\/extra ca\.pem\n/);
    const viaNode = await execa(process.execPath, [cliPath, ...args], { cwd, env: withShims, reject: false });
    expect(viaNode.stderr).toMatch(/^Warning: Ignoring extra certs from `\/nonexistent\/extra ca\.pem`/);
    expect(viaNode.stderr).toContain('saw NODE_EXTRA_CA_CERTS=/nonexistent/extra ca.pem');
  });
});
