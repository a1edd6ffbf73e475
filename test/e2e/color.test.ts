/**
 * Colour as a user sees it: the CLI runs under a pseudo-terminal
 * (`script -qec CMD /dev/null`), where errors, warnings, `show`'s plan and
 * `inspect`'s checks are coloured, unless NO_COLOR is set (and not empty);
 * FORCE_COLOR colours even off a terminal and wins over NO_COLOR, and
 * FORCE_COLOR=0 turns colour off on one. Each stream is asked on its own:
 * `show | cat` on a terminal prints its plan plain.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, examplesDir, shellWord, tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();
let cwd: string;
let cacheDir: string;
const ESC = '\x1b[';

beforeAll(async () => {
  cwd = await ws.dir('color');
  cacheDir = await ws.dir('cache');
  const built = await tsportable(['build', join(examplesDir, 'demo')], { cwd, cacheDir });
  expect(built.exitCode).toBe(0);
}, 120_000);

/** The CLI under a pseudo-terminal: `shellTail` may redirect or pipe its output. Returns everything the terminal got. */
async function onTerminal(args: readonly string[], env: Readonly<Record<string, string>> = {}, shellTail = ''): Promise<string> {
  const command = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, cliPath, ...args].map(shellWord).join(' ');
  const r = await execa('script', ['-qec', `${command}${shellTail}`, '/dev/null'], {
    cwd, reject: false, stdin: 'ignore',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', TSPORTABLE_CACHE_DIR: cacheDir },
    extendEnv: false,
  });
  return String(r.stdout);
}

async function offTerminal(args: readonly string[], env: Readonly<Record<string, string>>) {
  const r = await execa(process.execPath, [cliPath, ...args], {
    cwd, reject: false, stdin: 'ignore', extendEnv: false,
    env: { PATH: process.env.PATH ?? '', TSPORTABLE_CACHE_DIR: cacheDir, ...env },
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr) };
}

const failing = ['eval', '-E', 'throw "no"'];
const warning = ['eval', '--lint-url-literals', 'warn', '-E', 'http://example.org'];

describe('on a terminal', () => {
  test('errors are coloured; NO_COLOR=1 turns it off; an empty NO_COLOR does not', async () => {
    const plain = await onTerminal(failing, { NO_COLOR: '1' });
    expect(plain).toMatch(/^error: no\r$/m);
    expect(plain).not.toContain(ESC);
    expect(await onTerminal(failing)).toContain(`${ESC}31m`);
    expect(await onTerminal(failing, { NO_COLOR: '' })).toContain(ESC);
  });

  test('warnings: coloured, and plain with NO_COLOR', async () => {
    const coloured = await onTerminal(warning);
    expect(coloured).toContain(ESC);
    expect(coloured).toContain('URL literals are');
    const plain = await onTerminal(warning, { NO_COLOR: '1' });
    expect(plain).toMatch(/^warning: URL literals are/m);
    expect(plain).not.toContain(ESC);
  });

  test('inspect\'s checks: coloured, and plain with NO_COLOR', async () => {
    const image = join(cwd, 'result', 'demo_1.0.raw');
    expect(await onTerminal(['inspect', image])).toContain(`${ESC}32mok`);
    const plain = await onTerminal(['inspect', image], { NO_COLOR: '1' });
    expect(plain).toMatch(/^ {2}ok: the image follows systemd's rules/m);
    expect(plain).not.toContain(ESC);
  });

  test('show\'s plan: coloured on the terminal, plain when stdout is a pipe though stderr is the terminal', async () => {
    const file = join(examplesDir, 'demo');
    expect(await onTerminal(['show', file])).toMatch(new RegExp(`^\\x1b\\[1mImage`, 'm'));
    const piped = await onTerminal(['show', file, '-I', `nixpkgs=${join(examplesDir, '..', 'nix', 'pkgs')}`], {}, ' | cat');
    expect(piped).toMatch(/^Image demo_1\.0\.raw\r$/m);
    expect(piped).not.toContain(ESC);
  });

  test('FORCE_COLOR=0 turns colour off', async () => {
    expect(await onTerminal(failing, { FORCE_COLOR: '0' })).not.toContain(ESC);
  });
});

describe('off a terminal', () => {
  test('plain by default; FORCE_COLOR colours, and wins over NO_COLOR', async () => {
    expect((await offTerminal(failing, {})).stderr).not.toContain(ESC);
    expect((await offTerminal(failing, { FORCE_COLOR: '1' })).stderr).toContain(`${ESC}31m`);
    expect((await offTerminal(failing, { FORCE_COLOR: '1', NO_COLOR: '1' })).stderr).toContain(ESC);
    const image = join(cwd, 'result', 'demo_1.0.raw');
    expect((await offTerminal(['inspect', image], { FORCE_COLOR: '1' })).stdout).toContain(`${ESC}32mok`);
  });
});

test('a pseudo-terminal is what this file thinks it is: tty reports one', async () => {
  await writeFile(join(cwd, 'tty.sh'), 'test -t 1 && test -t 2 && echo both\n');
  expect(await execa('script', ['-qec', 'sh tty.sh', '/dev/null'], { cwd }).then((r) => String(r.stdout).trim())).toBe('both');
});
