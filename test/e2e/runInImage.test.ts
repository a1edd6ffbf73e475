/**
 * The images run. Every example image is unpacked and each service's main
 * program (its ExecStart= command line) is run in a chroot of it, as systemd
 * runs it with the image as its root: nothing of the host's /usr or /lib is
 * there (the tests run as root). A program that prints and exits must print
 * its line; a looping one its first line (then it is killed); one that prints
 * nothing must still be running after a moment, since a program that cannot
 * start fails at once. Each run is bounded by a timeout.
 *
 * The same run on an image whose ELF interpreter is gone fails, and inspect
 * says why: the test can tell an image that runs from one that does not.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { inspectImage } from '../../src/inspect/index.js';
import { buildJson, exampleImages, tsportable, useExampleBuilds, useWorkspace } from './cli.js';

const ws = useWorkspace();
const examples = useExampleBuilds(ws);
const imageOf = (id: string): string => examples.built(id).image;

/** What running a service's main program must show. */
type Expectation = { readonly prints: string } | { readonly firstLine: string } | { readonly keepsRunning: true };

const expected: Record<string, Expectation> = {
  'demo.service': { firstLine: 'Hello from a portable service' },
  'certs-check.service': { prints: 'CA bundle present' },
  // hello is an ELF program that needs libc: it runs only if its loader and libraries are in the image.
  'greeter.service': { prints: 'Hello, world!' },
  'ticker.service': { firstLine: 'tick' },
  'web.service': { keepsRunning: true },
  'worker.service': { keepsRunning: true },
  'worker-cleanup.service': { prints: 'cleaned' },
};

const enum Timing {
  /** A program that loops is given this long to print its first line. */
  FirstLineMs = 30_000,
  /** A quiet program must still run after this long (one that cannot start fails within milliseconds). */
  AliveMs = 1_500,
}

/** systemd's default PATH for services; inside the image, it holds nothing unless symlinks put it there. */
const servicePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Outcome {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed by the test after it had seen what it waited for. */
  readonly killed: boolean;
}

/** Runs `argv` chrooted into `root`; stops it once `enough(stdout)` holds, or after `aliveMs` if given. */
function runChrooted(root: string, argv: readonly string[], until: { enough?: (out: string) => boolean; aliveMs?: number }): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('chroot', [root, ...argv], { env: { PATH: servicePath }, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const stop = () => {
      if (child.exitCode === null && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(stop, until.aliveMs ?? Timing.FirstLineMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      if (until.enough?.(stdout)) stop();
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr, killed });
    });
  });
}

/** The ExecStart= command line of a unit, split into words (the examples quote nothing). */
function execStart(unitText: string): string[] | undefined {
  const line = /^ExecStart=(.+)$/m.exec(unitText)?.[1];
  return line?.replace(/^[-@:+!]+/, '').trim().split(/\s+/);
}

async function unpack(image: string, dir: string): Promise<string> {
  const root = join(dir, 'root');
  await rm(root, { recursive: true, force: true });
  await execa('unsquashfs', ['-no-progress', '-no-xattrs', '-d', root, image]);
  return root;
}

/** Checks one service's run against what it must show; returns a description of the failure, or undefined. */
function verdict(name: string, e: Expectation, o: Outcome): string | undefined {
  const firstLine = o.stdout.split('\n')[0];
  const ok = 'keepsRunning' in e ? o.killed
    : 'firstLine' in e ? firstLine === e.firstLine
    : !o.killed && o.exitCode === 0 && o.stdout.trim() === e.prints;
  return ok ? undefined : `${name}: expected ${JSON.stringify(e)}; exit ${o.exitCode}${o.killed ? ' (killed)' : ''}, stdout ${JSON.stringify(o.stdout)}, stderr ${JSON.stringify(o.stderr)}`;
}

/** Runs every service of an unpacked image; the failures, described. */
async function runServices(root: string): Promise<{ ran: string[]; failures: string[] }> {
  const unitDir = join(root, 'etc/systemd/system');
  const ran: string[] = [];
  const failures: string[] = [];
  for (const name of (await readdir(unitDir)).filter((n) => n.endsWith('.service')).sort()) {
    const argv = execStart(await readFile(join(unitDir, name), 'utf8'));
    const e = expected[name];
    if (!argv || !e) {
      failures.push(`${name}: no ExecStart= or no expectation for it`);
      continue;
    }
    const outcome = await runChrooted(root, argv, 'keepsRunning' in e ? { aliveMs: Timing.AliveMs } : { enough: (out) => out.includes('\n') && 'firstLine' in e });
    ran.push(name);
    const failure = verdict(name, e, outcome);
    if (failure) failures.push(failure);
  }
  return { ran, failures };
}

describe.each(exampleImages.map((e) => [e.id, e] as const))('%s', (id, example) => {
  test('each service\'s main program runs inside the image', async () => {
    const root = await unpack(imageOf(id), await ws.dir(`run-${id}`));
    const { ran, failures } = await runServices(root);
    expect(failures).toEqual([]);
    expect(ran.sort()).toEqual(example.units.filter((u) => u.endsWith('.service')).sort());
  }, 120_000);
});

test('a host program by name (pkgs.sh, which the default set has no package of) is closed: it runs inside the image', async () => {
  const dir = await ws.dir('host-program');
  await writeFile(join(dir, 'default.nix'), `{ pkgs ? import <nixpkgs> { } }:
pkgs.portableService {
  pname = "hostsh";
  version = "1";
  units = [ (pkgs.writeText "hostsh.service" "[Service]\\nExecStart=\${pkgs.sh}/bin/sh -c 'echo from the host sh'\\n") ];
}
`);
  const run = await tsportable(['build', '--json'], { cwd: dir, cacheDir: await ws.dir('host-program-cache') });
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toMatch(/^tsportable: pkgs\.sh is made from the host's \/(usr\/)?bin\/sh, with the libraries it needs/m);
  const built = buildJson(run.stdout);
  expect(built.warnings).toEqual([]);
  const root = await unpack(built.image, dir);
  const argv = execStart(await readFile(join(root, 'etc/systemd/system/hostsh.service'), 'utf8'))!;
  // The unit's words split at blanks: give the shell its -c script whole.
  const outcome = await runChrooted(root, [argv[0]!, '-c', 'echo from the host sh'], {});
  expect([outcome.exitCode, outcome.stdout, outcome.stderr]).toEqual([0, 'from the host sh\n', '']);
}, 300_000);

test('an image whose ELF interpreter is gone does not run, and inspect says why', async () => {
  const dir = await ws.dir('broken');
  const root = await unpack(imageOf('demo'), dir);
  const store = join(root, 'nix/store');
  const glibc = (await readdir(store)).find((n) => /^[a-z0-9]{32}-glibc-/.test(n));
  expect(glibc).toBeDefined();
  await rm(join(store, glibc!), { recursive: true });

  const { failures } = await runServices(root);
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatch(/^demo\.service: .*exit 127.*No such file or directory/);

  const image = join(dir, 'demo_1.0.raw');
  await execa('mksquashfs', [root, image, '-quiet', '-noappend', '-all-root', '-comp', 'gzip']);
  const report = await inspectImage(image);
  expect(report.findings.find((f) => f.code === 'elf-interpreter-missing')?.message)
    .toMatch(new RegExp(`^/nix/store/[a-z0-9]{32}-bash-host/bin/bash needs the ELF interpreter /nix/store/${glibc}/lib/ld-linux[^ ]*, which is not in the image`));
}, 120_000);
