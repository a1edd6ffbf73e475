/**
 * `build` and `show` name a derivation by its real store path wherever they
 * show something of evaluation, as nix-build and nix-instantiate do: an
 * error's message and its trace (`builtins.addErrorContext`), `builtins.trace`
 * lines, warnings (`lib.warn`); and in the image, a description naming a
 * package. While it evaluates, the bridge names derivations by placeholders
 * (`/nix/store/000…N-name`); none may reach the user. `show`'s plan itself
 * writes `${pkgs.hello}` for a store path not built yet (docs/show.schema.json),
 * the os-release too. Without a placeholder, no Nix process is run for it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { jsStackTrace, testNixpkgs, tsportable, useWorkspace } from './cli.js';
import { makeShims, nixPrograms } from './shims.js';
import { catImage, listImage } from './squashfs.js';

const ws = useWorkspace();
const nixpkgs = ['-I', `nixpkgs=${testNixpkgs}`];
const placeholder = /\/nix\/store\/0{31}\d+-/;
let cwd: string;
let cacheDir: string;
let hello: string;

const image = (unit: string, extra = '') => `{ pkgs ? import <nixpkgs> { } }:
pkgs.portableService {
  pname = "hello";
  version = "1.0";${extra}
  units = [ ${unit} ];
}
`;

beforeAll(async () => {
  cwd = await ws.dir('work');
  cacheDir = await ws.dir('cache');
  const failing = '(builtins.trace "t ${pkgs.hello}" (pkgs.lib.warn "w ${pkgs.hello}" (builtins.addErrorContext "ctx ${pkgs.hello}" (throw "bad ${pkgs.hello}"))))';
  await writeFile(join(cwd, 'failing.nix'), image(failing));
  const unit = '(pkgs.writeText "hello.service" "[Service]\\nExecStart=${pkgs.hello}/bin/hello\\n")';
  await writeFile(join(cwd, 'described.nix'), image(unit, '\n  description = "says hello: ${pkgs.hello}";'));
  await writeFile(join(cwd, 'plain.nix'), image(`(builtins.trace "plain trace" ${unit})`));
  const r = await execa('nix-instantiate', ['--eval', ...nixpkgs, '-E', '"${(import <nixpkgs> { }).hello}"'], { reject: false });
  hello = JSON.parse(String(r.stdout)) as string;
  expect(hello).toMatch(/^\/nix\/store\/[0-9a-z]{32}-hello-/);
});

describe.each(['build', 'show'])('%s: an evaluation error, its trace, traces and warnings name the real path', (command) => {
  test('the lines nix-instantiate prints, with the same path', async () => {
    const nix = await execa('nix-instantiate', ['--show-trace', ...nixpkgs, 'failing.nix'], { cwd, reject: false });
    const nixLines = String(nix.stderr).split('\n');
    const r = await tsportable([command, '--show-trace', ...nixpkgs, 'failing.nix'], { cwd, cacheDir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toMatch(jsStackTrace);
    expect(r.stderr).not.toMatch(placeholder);
    const ours = r.stderr.split('\n').map((l) => l.trim());
    for (const line of [`trace: t ${hello}`, `error: bad ${hello}`, `… ctx ${hello}`]) {
      expect(nixLines.map((l) => l.trim())).toContain(line);
      expect(ours).toContain(line);
    }
    // Nix 2.8's lib.warn is a trace (`trace: warning: w ...`); current Nix's, like ours, a warning.
    expect(nixLines).toContain(`trace: warning: w ${hello}`);
    expect(ours).toContain(`evaluation warning: w ${hello}`);
  });

  test('--json: the error object has the real path', async () => {
    const r = await tsportable([command, '--json', ...nixpkgs, 'failing.nix'], { cwd, cacheDir });
    expect(r.exitCode).toBe(1);
    const { error } = JSON.parse(r.stdout) as { error: { message: string; trace: { message: string }[] } };
    expect(error.message).toBe(`bad ${hello}`);
    expect(error.trace.map((f) => f.message)).toContain(`ctx ${hello}`);
  });
});

test('show: a description naming a package is shown as the units show it; a trace without a package costs no Nix process', async () => {
  const shims = await makeShims(await ws.dir('no-nix'), nixPrograms, 'fail');
  const described = await tsportable(['show', '--json', ...nixpkgs, 'described.nix'], { cwd, cacheDir, env: { PATH: shims.path } });
  expect(described.exitCode).toBe(0);
  const plan = JSON.parse(described.stdout) as { osRelease: string; units: { text: string }[] };
  expect(plan.osRelease).toContain('PORTABLE_PRETTY_NAME=says hello: ${pkgs.hello}\n');
  expect(plan.units[0]!.text).toBe('[Service]\nExecStart=${pkgs.hello}/bin/hello\n');
  const plain = await tsportable(['show', ...nixpkgs, 'plain.nix'], { cwd, cacheDir, env: { PATH: shims.path } });
  expect([plain.exitCode, plain.stderr]).toEqual([0, 'trace: plain trace\n']);
  expect(await shims.calls()).toEqual([]);
});

test('build: a trace naming a package has its real path, and so does a rebuild answered from its record', async () => {
  const text = image('(pkgs.writeText "hello.service" "[Service]\\nExecStart=${pkgs.hello}/bin/hello\\n")')
    .replace('pkgs.portableService {', 'builtins.trace "t ${pkgs.hello}" pkgs.portableService {');
  await writeFile(join(cwd, 'traced.nix'), text);
  const first = await tsportable(['build', ...nixpkgs, 'traced.nix', '-o', 'ts-traced'], { cwd, cacheDir });
  const again = await tsportable(['build', ...nixpkgs, 'traced.nix', '-o', 'ts-traced'], { cwd, cacheDir });
  for (const r of [first, again]) {
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n')).toContain(`trace: t ${hello}`);
    expect(r.stderr).not.toMatch(placeholder);
  }
  expect(again.stderr).toContain('(nothing the build read has changed)');
});

test("build: the image's os-release has the description's real path, as nix-build's", async () => {
  const out = join(cwd, 'nix-described');
  const nix = await execa('nix-build', ['--option', 'substituters', '', ...nixpkgs, 'described.nix', '-o', out], { cwd, reject: false });
  expect(nix.exitCode).toBe(0);
  const r = await tsportable(['build', ...nixpkgs, 'described.nix', '-o', 'ts-described'], { cwd, cacheDir });
  expect(r.exitCode).toBe(0);
  const osRelease = await catImage(join(cwd, 'ts-described', 'hello_1.0.raw'), 'etc/os-release');
  expect(osRelease).toContain(`PORTABLE_PRETTY_NAME=says hello: ${hello}\n`);
  expect(osRelease).toBe(await catImage(join(out, 'hello_1.0.raw'), 'etc/os-release'));
});

/** The store paths an image holds: the entries of its /nix/store. */
async function imageStorePaths(image: string): Promise<string[]> {
  return [...(await listImage(image)).keys()].filter((p) => /^nix\/store\/[^/]+$/.test(p)).map((p) => `/${p}`).sort();
}

test('build: a package named only by the description is realised and in the image, as in nix-build\'s', async () => {
  // A derivation no run has built yet (its text is new), naming hello; a homepage whose context names greeter
  // but whose text does not: Nix's reference scanning counts a package only where the os-release text names it.
  const about = `pkgs.writeText "about" "made by \${pkgs.hello} on ${Date.now()}-${process.pid}"`;
  const unit = '(pkgs.writeText "hello.service" "[Service]\\nExecStart=/bin/true\\n")';
  await writeFile(join(cwd, 'named.nix'), image(unit, `
  description = "\${${about}} as a service";
  homepage = "https://example.org/\${builtins.substring 0 0 "\${pkgs.greeter}"}";`));
  const r = await tsportable(['build', ...nixpkgs, 'named.nix', '-o', 'ts-named'], { cwd, cacheDir });
  expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);
  const out = join(cwd, 'nix-named');
  const nix = await execa('nix-build', ['--option', 'substituters', '', ...nixpkgs, 'named.nix', '-o', out], { cwd, reject: false });
  expect(nix.exitCode).toBe(0);
  const ours = await imageStorePaths(join(cwd, 'ts-named', 'hello_1.0.raw'));
  const theirs = await imageStorePaths(join(out, 'hello_1.0.raw'));
  expect(ours).toContain(hello);
  expect(ours).toContainEqual(expect.stringMatching(/^\/nix\/store\/[0-9a-z]{32}-about$/));
  expect(ours.some((p) => p.endsWith('-greeter'))).toBe(false);
  // The same store paths but the scaffold's own (nix-build's image holds itself).
  expect(ours).toEqual(theirs.filter((p) => !/-root-fs-scaffold-[^/]*$/.test(p)));
  expect(await catImage(join(cwd, 'ts-named', 'hello_1.0.raw'), 'etc/os-release'))
    .toBe(await catImage(join(out, 'hello_1.0.raw'), 'etc/os-release'));
});
