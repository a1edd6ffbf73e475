/**
 * Every validation and safety rule of the portableService builder, and the
 * evaluation and build failures around it, as a user meets them through the
 * CLI: the exit code nix-build would give, the message with file:line:col
 * in the user's file, no JavaScript stack trace, and the previous `result`
 * left exactly as it was (no partial image, no new link).
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsStackTrace, positionOf, tsportable, useWorkspace, type CliRun } from './cli.js';

const ws = useWorkspace();

interface ErrorCase {
  readonly name: string;
  /** The file's text after its first line `{ pkgs ? import <nixpkgs> { } }:` (given the working directory). */
  readonly body: string | ((cwd: string) => string);
  readonly exitCode: 1 | 100;
  readonly message: RegExp;
  /** The error's position: where this text starts in the file. */
  readonly at: string;
}

const header = '{ pkgs ? import <nixpkgs> { } }:\n';
const unit = (name: string) => `(pkgs.writeText "${name}" "[Service]\\nExecStart=/bin/true\\n")`;

const cases: readonly ErrorCase[] = [
  {
    name: 'missing pname',
    body: `pkgs.portableService {\n  version = "1.0";\n  units = [ ${unit('svc.service')} ];\n}\n`,
    exitCode: 1, message: /required argument 'pname'/, at: 'pkgs.portableService {',
  },
  {
    name: 'wrong type for units',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = "svc.service";\n}\n`,
    exitCode: 1, message: /'units' must be a list.*found a string/, at: 'units =',
  },
  {
    name: 'unknown argument',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  colour = "red";\n}\n`,
    exitCode: 1, message: /unexpected argument 'colour'/, at: 'colour',
  },
  {
    name: 'unit name not prefixed with pname',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [\n    ${unit('other.service')}\n  ];\n}\n`,
    exitCode: 1, message: /Unit names must be prefixed with the service name/, at: 'pkgs.writeText "other.service"',
  },
  {
    name: 'bare path as a unit',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ./svc.service ];\n}\n`,
    exitCode: 1, message: /is the path .*svc\.service.* a unit must be a derivation or a set with 'name' and 'outPath'/, at: 'units = [ ./svc.service',
  },
  {
    name: "unit name with '/'",
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [\n    { name = "svc/../../../etc/passwd"; outPath = pkgs.writeText "svc.service" ""; }\n  ];\n}\n`,
    exitCode: 1, message: /unit name 'svc\/\.\.\/\.\.\/\.\.\/etc\/passwd' must not contain '\/'/, at: 'name = "svc/',
  },
  {
    // nixpkgs' `ln -s` fails there: nothing to make the link in.
    name: 'a symlink path ending in / with no directory there',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  symlinks = [\n    { symlink = "opt/app/"; object = "\${pkgs.bash}/bin/bash"; }\n  ];\n}\n`,
    exitCode: 1, message: /symlink path 'opt\/app\/' ends in '\/' but no directory is there/, at: 'symlink = "opt/app/"',
  },
  {
    name: "symlink path with '..'",
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  symlinks = [\n    { symlink = "/bin/../../../tmp/escaped"; object = "\${pkgs.bash}/bin/bash"; }\n  ];\n}\n`,
    exitCode: 1, message: /symlink path '\/bin\/\.\.\/\.\.\/\.\.\/tmp\/escaped' goes above the image root with '\.\.'/, at: 'symlink = "/bin/..',
  },
  {
    name: 'a block size mksquashfs refuses',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  squash-block-size = "3M";\n}\n`,
    exitCode: 1, message: /block size '3M' must be a power of two between 4K and 1M/, at: 'squash-block-size',
  },
  {
    name: 'a compression string a shell would interpret',
    // Were it run through a shell, the build would create PWNED in the working directory (checked: it stays as it was).
    body: (cwd) => `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  squash-compression = "xz $(touch ${cwd}/PWNED)";\n}\n`,
    exitCode: 1, message: /compression word '\$\(touch' holds characters nixpkgs would hand to a shell/, at: 'squash-compression',
  },
  {
    name: 'a symlink inside /nix',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  symlinks = [\n    { symlink = "/nix/store/evil"; object = "/"; }\n  ];\n}\n`,
    exitCode: 1, message: /symlink path '\/nix\/store\/evil' is inside \/nix/, at: 'symlink = "/nix',
  },
  {
    name: 'a symlink over a scaffold file',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  symlinks = [\n    { symlink = "/etc/os-release"; object = "/elsewhere"; }\n  ];\n}\n`,
    exitCode: 1, message: /symlink path '\/etc\/os-release' is already taken/, at: 'symlink = "/etc',
  },
  {
    // nixpkgs' script would split it into two words.
    name: 'a symlink path a shell would split',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  symlinks = [\n    { symlink = "/opt/my app"; object = "/elsewhere"; }\n  ];\n}\n`,
    exitCode: 1, message: /symlink path '\/opt\/my app' holds characters nixpkgs' build script would hand to a shell/, at: 'symlink = "/opt',
  },
  {
    name: "unit name '..'",
    body: `pkgs.portableService {\n  pname = "..";\n  version = "1.0";\n  units = [\n    { name = ".."; outPath = pkgs.writeText "svc.service" ""; }\n  ];\n}\n`,
    exitCode: 1, message: /unit name '\.\.' would not be a file in etc\/systemd\/system/, at: 'name = ".."; outPath',
  },
  {
    name: 'a pname no store name may hold',
    body: `pkgs.portableService {\n  pname = "my app";\n  version = "1.0";\n  units = [ ];\n}\n`,
    exitCode: 1, message: /pname 'my app' contains ' '/, at: 'pname = "my app"',
  },
  {
    name: 'wrong type for description',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ];\n  description = 42;\n}\n`,
    exitCode: 1, message: /argument 'description' must be a string or null, but found an integer/, at: 'description',
  },
  {
    name: 'a syntax error',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0"\n  units = [ ];\n}\n`,
    exitCode: 1, message: /syntax error, unexpected '='/, at: '= [ ];',
  },
  {
    name: 'an undefined variable',
    body: `pkgs.portableService {\n  pname = servicename;\n  version = "1.0";\n  units = [ ];\n}\n`,
    exitCode: 1, message: /undefined variable 'servicename'/, at: 'servicename',
  },
  {
    name: 'a failed build (a unit whose builder exits 1)',
    body: `pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [\n    (derivation { name = "svc.service"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo going to fail >&2; exit 1" ]; })\n  ];\n}\n`,
    exitCode: 100, message: /builder for '\/nix\/store\/[a-z0-9]{32}-svc\.service\.drv' failed/, at: 'derivation {',
  },
];

/** Runs `build` in a directory whose `result` already points at an earlier build. */
async function buildWithPreviousResult(cwd: string, text: string, extra: readonly string[] = []) {
  await mkdir(join(cwd, 'previous'));
  await writeFile(join(cwd, 'previous', 'svc_0.9.raw'), 'an earlier image');
  await symlink(join(cwd, 'previous'), join(cwd, 'result'));
  await writeFile(join(cwd, 'svc.service'), '[Service]\nExecStart=/bin/true\n');
  const file = join(cwd, 'default.nix');
  await writeFile(file, text);
  const before = (await readdir(cwd)).sort();
  const cacheDir = `${cwd}-cache`;
  const run: CliRun = await tsportable(['build', file, ...extra], { cwd, cacheDir });
  return { cwd, file, before, run, cacheDir };
}

describe.each(cases.map((c, i) => [c.name, c, i] as const))('build error: %s', (_name, c, i) => {
  test(`exit ${c.exitCode}, the message at file:line:col, no stack trace, previous result untouched`, async () => {
    const cwd = await ws.dir(`case-${i}`);
    const text = header + (typeof c.body === 'string' ? c.body : c.body(cwd));
    const { file, before, run } = await buildWithPreviousResult(cwd, text);
    const { line, column } = positionOf(text, c.at);
    expect(run.stderr).toMatch(c.message);
    expect(run.stderr).toContain(`${file}:${line}:${column}`);
    expect(run.stderr).not.toMatch(jsStackTrace);
    expect(run.stdout).toBe('');
    expect(run.exitCode).toBe(c.exitCode);
    expect((await readdir(cwd)).sort()).toEqual(before);
    expect(readlinkSync(join(cwd, 'result'))).toBe(join(cwd, 'previous'));
    expect(readdirSync(join(cwd, 'previous'))).toEqual(['svc_0.9.raw']);
  });
});

describe('a failing mksquashfs', () => {
  test('exit 100 with mksquashfs\' message; no image in the cache, previous result untouched', async () => {
    const text = `${header}pkgs.portableService {\n  pname = "svc";\n  version = "1.0";\n  units = [ ${unit('svc.service')} ];\n  squash-compression = "xz -Xno-such-option 3";\n}\n`;
    const { cwd, before, run, cacheDir } = await buildWithPreviousResult(await ws.dir('mksquashfs'), text, ['-o', 'result']);
    expect(run.exitCode).toBe(100);
    expect(run.stderr).toMatch(/mksquashfs/);
    expect(run.stderr).toMatch(/-Xno-such-option/);
    expect(run.stderr).not.toMatch(jsStackTrace);
    expect((await readdir(cwd)).sort()).toEqual(before);
    expect(lstatSync(join(cwd, 'result')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(cwd, 'result'))).toBe(join(cwd, 'previous'));
    const leftovers = await readdir(cacheDir, { recursive: true }).catch(() => [] as string[]);
    expect(leftovers.filter((p) => String(p).endsWith('.raw'))).toEqual([]);
  });
});
