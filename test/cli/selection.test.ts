/**
 * What `build` and `show` select, beyond nix-build: a callPackage-style file
 * (`{ portableService, writeText }: ...`) is called as `pkgs.callPackage FILE
 * { }` with a notice, and builds the image `callPackage` gives with Nix; a
 * value that is not an image is named for what it is; a missing attribute on
 * the way to the image is Nix's "attribute '...' missing" at its place, with
 * "Did you mean".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildJson, jsStackTrace, testNixpkgs, tsportable, useWorkspace, type CliRun } from '../e2e/cli.js';
import { imagesToCompare } from '../e2e/imageCompare.js';

const ws = useWorkspace();
const include = ['-I', `nixpkgs=${testNixpkgs}`];

async function run(args: string[], files: Record<string, string> = {}): Promise<CliRun & { cwd: string }> {
  const cwd = await ws.dir(`run-${Math.random().toString(36).slice(2)}`);
  for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
  return { ...(await tsportable([...args, ...include], { cwd, cacheDir: await ws.dir('cache') })), cwd };
}

function expectError(r: CliRun, message: RegExp): void {
  expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 1, stdout: '' });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(jsStackTrace);
}

const callPackageFile = `{ portableService, writeText, hello, greeting ? "hi" }:
portableService {
  pname = "cpkg";
  version = "1.0";
  units = [ (writeText "cpkg.service" "[Service]\\nExecStart=\${hello}/bin/hello # \${greeting}\\n") ];
  squash-compression = "gzip -Xcompression-level 1";
}
`;

test('a callPackage-style file builds the image nix-build gives for pkgs.callPackage FILE { }', async () => {
  const ts = await run(['build', '--json', 'service.nix', '--argstr', 'greeting', 'hello there', '-o', 'ts'], { 'service.nix': callPackageFile });
  expect(ts.stderr).toMatch(/^tsportable: .*service\.nix is a callPackage-style function \(\{ greeting, hello, portableService, writeText \}\); calling it as pkgs\.callPackage with --arg\/--argstr as overrides \(nix-build would stop here\)\n/);
  expect(ts.exitCode).toBe(0);
  const nixLink = join(ts.cwd, 'nix');
  const expr = `with import <nixpkgs> { }; callPackage ${join(ts.cwd, 'service.nix')} { greeting = "hello there"; }`;
  await execa('nix-build', [...include, '-E', expr, '-o', nixLink]);
  const scaffold = (await execa('nix-build', [...include, '-E', `(${expr}).rootFsScaffold`, '--no-out-link'])).stdout.trim();
  const cmp = await imagesToCompare(join(nixLink, 'cpkg_1.0.raw'), buildJson(ts.stdout).image, scaffold.slice(1));
  expect(cmp.ts.tree).toEqual(cmp.nix.tree);
  expect(cmp.ts.files).toEqual(cmp.nix.files);
});

test("a function with an argument the package set does not have keeps nix-build's error", async () => {
  const r = await run(['show', 'f.nix'], { 'f.nix': '{ portableService, port }: portableService { }' });
  expectError(r, /cannot evaluate a function that has an argument without a value \('port'\)/);
});

test("a missing attribute on the way to the image is Nix's error at its place, with Did you mean", async () => {
  const r = await run(['show'], {
    'default.nix': 'let pkgs = import <nixpkgs> { }; in\npkgs.portableServce {\n  pname = "x";\n  version = "1";\n  units = [ ];\n}\n',
  });
  expectError(r, /^error: attribute 'portableServce' missing\n\s+at .*default\.nix:2:1:\n[\s\S]*hint: Did you mean portableService\?\n$/);

  // Selected by -A: Nix's words for a selection path.
  expectError(await run(['show', '-E', 'import <nixpkgs> { }', '-A', 'portableServce']),
    /^error: attribute 'portableServce' in selection path 'portableServce' not found\n\s+hint: Did you mean portableService\?\n$/);

  const expr = '(import <nixpkgs> {}).hello.foo';
  const viaE = await run(['build', '-E', expr]);
  expectError(viaE, /^error: attribute 'foo' missing\n\s+at «string»:1:1:/);
  const nix = await execa('nix-instantiate', [...include, '--eval', '-E', expr], { reject: false });
  expect(nix.stderr).toMatch(/error: attribute 'foo' missing/);
  expect(nix.stderr).toMatch(/«string»:1:1/);
});

test('what -A selected when it is not an image', async () => {
  expectError(await run(['show', '-E', 'import <nixpkgs> { }', '-A', 'hello']),
    /^error: attribute 'hello' is a package \(hello-1\.0\), not a portable service image \(the result of pkgs\.portableService\)\n$/);
  expectError(await run(['show', '-E', '{ a = [ 1 2 ]; }', '-A', 'a']), /attribute 'a' is a list of 2 elements, not a portable service image/);
  expectError(await run(['show', '-E', '{ a = 1; b = 2; }']), /the top-level value is a set \(attributes: a, b\), not a portable service image/);
});
