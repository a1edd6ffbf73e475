/**
 * Store paths tsportable computes natively must be the ones Nix gives: a local
 * file or directory added by interpolation (NAR hash: executable bits,
 * symlinks, entry order), and `builtins.toFile` texts with references. Also the
 * questions evaluation asks Nix about foreign values (`?`, materialising).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Lazy, NixAttrs, NixPath, NixString } from '../../src/eval/value/index.js';
import { NixList } from '../../src/eval/value/index.js';
import type { ForeignHandle } from '../../src/bridge/foreign.js';
import { nixString, testNixpkgs, useSession } from './harness.js';

const s = useSession([`nixpkgs=${testNixpkgs}`]);
const dir = mkdtempSync(join(tmpdir(), 'tsportable-bridge-store-'));
const tree = join(dir, 'tree');
mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
writeFileSync(join(tree, 'b.txt'), 'b\n');
writeFileSync(join(tree, 'B.txt'), 'upper\n');
writeFileSync(join(tree, 'sub', 'run'), '#!/bin/sh\necho run\n');
chmodSync(join(tree, 'sub', 'run'), 0o755);
writeFileSync(join(tree, 'sub', 'deeper', 'empty'), '');
symlinkSync('../b.txt', join(tree, 'sub', 'link'));
symlinkSync('dangling-target', join(tree, 'dangling'));
writeFileSync(join(dir, 'plain.conf'), 'x=1\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each([['a directory with symlinks and executables', tree], ['a file', join(dir, 'plain.conf')]])(
  '%s gets the store path nix-instantiate gives', async (_label, path) => {
    expect(s.bridge.hooks.copyPathToStore(path, undefined)).toBe(await nixString(path, []));
  });

test('builtins.toFile, with a reference to a local file', async () => {
  const local = s.bridge.hooks.copyPathToStore(join(dir, 'plain.conf'), undefined);
  const v = s.bridge.hooks.toFile('t.txt', new NixString(`see ${local}\n`, new Set([local])), undefined) as NixString;
  const expected = await nixString(`builtins.toFile "t.txt" "see \${${join(dir, 'plain.conf')}}\\n"`, []);
  expect(v.s).toBe(expected);
  // Nix makes it in the next batch; reading it back builds nothing else.
  const [resolved] = await s.bridge.resolveStrings([v]);
  expect(resolved).toBe(expected);
});

test('builtins.toFile of bytes that are not UTF-8: Nix\'s path, and the file holds the bytes', async () => {
  const v = s.bridge.hooks.toFile('bytes.txt', 'caf\udce9 \udcff é\n', undefined) as NixString;
  expect(v.s).toBe(await nixString('builtins.toFile "bytes.txt" "caf\udce9 \udcff é\\n"', []));
  const real = s.bridge.hooks.realisePath(v.s, v.context, undefined);
  expect(readFileSync(real)).toEqual(Buffer.from('caf\xe9 \xff \xc3\xa9\n', 'latin1'));
});

test('a string with a package and bytes that are not UTF-8 keeps its bytes through resolution', async () => {
  const v = s.eval('"${(import <nixpkgs> { }).hello}/bin/hello caf\udce9"');
  const [resolved] = await s.bridge.resolveStrings([v as NixString]);
  expect(resolved).toBe(await nixString('"${(import <nixpkgs> { }).hello}/bin/hello caf\udce9"', [`nixpkgs=${testNixpkgs}`]));
  expect(resolved).toMatch(/^\/nix\/store\/[0-9a-z]{32}-hello.*\/bin\/hello caf\udce9$/);
});

test('readFile of a toFile result: Nix makes the file first', () => {
  const v = s.bridge.hooks.toFile('readable.txt', `made ${Date.now()}`, undefined) as NixString;
  const real = s.bridge.hooks.realisePath(v.s, v.context, undefined);
  expect(real).toBe(v.s);
  expect(readFileSync(real, 'utf8')).toMatch(/^made \d+$/);
});

test('builtins.path with a name, and builtins.storePath', async () => {
  const attrs = new NixAttrs(new Map<string, Lazy>([['path', new NixPath(tree)], ['name', 'custom-name']]));
  const v = s.bridge.hooks.addPath(attrs, undefined) as NixString;
  expect(v.s).toBe(await nixString(`builtins.path { path = ${tree}; name = "custom-name"; }`, []));
  const [real] = await s.bridge.resolveStrings([v]);
  const sp = s.bridge.hooks.storePath(`${real}/sub/run`, undefined) as NixString;
  expect([sp.s, [...sp.context]]).toEqual([`${real}/sub/run`, [real]]);
  expect(() => s.bridge.hooks.storePath('/etc/passwd', undefined)).toThrow(/is not in the Nix store/);
});

test('builtins.path with a filter: the user\'s function runs in Nix', async () => {
  const args = '{ path = ./.; name = "filtered"; filter = p: t: baseNameOf p != "pkg.nix"; }';
  const v = s.bridge.hooks.addPath(s.eval(args) as NixAttrs, undefined) as NixString;
  const [real] = await s.bridge.resolveStrings([v]);
  expect(real).toBe(await nixString(`builtins.path ${args}`, []));
  expect(existsSync(join(real, 'unit.in')) && !existsSync(join(real, 'pkg.nix'))).toBe(true);
});

test('builtins.toFile refuses references to packages, as Nix does', () => {
  const pkg = s.eval('"${(import <nixpkgs> { }).hello}"');
  expect(() => s.bridge.hooks.toFile('bad', pkg, undefined)).toThrow(/may not reference derivations/);
});

describe('questions to Nix during evaluation', () => {
  test('has-attribute on the package set and on a package', () => {
    const before = s.bridge.runner.counts['nix-instantiate'];
    expect(s.eval('(import <nixpkgs> { }) ? greeter')).toBe(true);
    expect(s.eval('(import <nixpkgs> { }) ? noSuchThing')).toBe(false);
    expect(s.eval('(import <nixpkgs> { }).hello ? pname')).toBe(true);
    expect(s.eval('(import <nixpkgs> { }).hello ? nope')).toBe(false);
    expect(s.bridge.runner.counts['nix-instantiate'] - before).toBeLessThanOrEqual(6);
  });

  test('data from packages is Nix\'s, not a placeholder', () => {
    const pkgs = 'let pkgs = import <nixpkgs> { }; in ';
    expect(s.eval(`${pkgs}pkgs.hello.pname + "-x"`)).toBe('hello-x');
    expect(s.eval(`${pkgs}pkgs.lib.hasPrefix "hel" "\${pkgs.hello.version}-\${pkgs.hello.pname}"`)).toBe(false);
    expect(s.eval(`${pkgs}builtins.substring 0 5 "\${pkgs.hello.name}"`)).toBe('hello');
  });

  test('materialising data', () => {
    const pkgs = 'let pkgs = import <nixpkgs> { }; in ';
    expect((s.eval(`${pkgs}pkgs.hello.pname`) as ForeignHandle).materialize(undefined)).toBe('hello');
    const outputs = (s.eval(`${pkgs}pkgs.libdemo.outputs`) as ForeignHandle).materialize(undefined) as NixList;
    // A short list of data comes whole with the package's summary: its items are native strings.
    expect(outputs.items).toEqual(['out', 'dev']);
    const drv = s.eval(`${pkgs}pkgs.hello`) as ForeignHandle;
    expect(drv.materialize(undefined)).toBe(drv);
  });
});
