/**
 * run-lib-tests against the lib-lazy fixture (shaped like a nixpkgs lib
 * checkout, with its own lib/tests/misc.nix): the runner finds the suite,
 * reports it passing, agrees with real nix-instantiate, and counts the lib
 * files the laziness probe reads. And the nix-instantiate shim that lets
 * nixpkgs' shell-driven suites (modules.sh) call tsportable instead.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const runner = path.join(root, 'dist/test/lib/run-lib-tests.js');
const fixture = path.join(root, 'test/fixtures/lib-lazy');
const shim = path.join(root, 'test/lib/shim/nix-instantiate');

describe('run-lib-tests', () => {
  test('runs the checkout\'s misc.nix, compares with Nix, measures laziness', async () => {
    const r = await execa('node', [runner, fixture, '--nix'], { reject: false });
    expect(r.stdout).toContain('lib/tests/misc.nix: PASS');
    expect(r.stdout).toMatch(/nix-instantiate \d+ ms \(ratio [\d.]+x\): same output/);
    expect(r.stdout).toContain('import <nixpkgs/lib> + 3 functions: 3 lib files read');
    expect(r.exitCode).toBe(0);
  });

  test('refuses a directory that is not a lib checkout', async () => {
    const r = await execa('node', [runner, path.join(fixture, 'lib')], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('usage: run-lib-tests CHECKOUT');
  });
});

describe('the nix-instantiate shim', () => {
  const flags = ['--timeout', '1', '--eval-only', '--show-trace', '--read-write-mode', '--json'];

  test('drops Nix-only flags and prints the JSON result', async () => {
    const r = await execa(shim, [...flags, '--strict', '-E', '{ b = [ 1 "x" ]; a = 1; }'], { reject: false });
    expect(r.stdout).toBe('{"a":1,"b":[1,"x"]}');
    expect(r.exitCode).toBe(0);
  });

  test('reports an error as nix-instantiate does: text on stderr, nothing on stdout', async () => {
    const r = await execa(shim, [...flags, '-E', 'throw "no such option"'], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\s*error: no such option$/m);
  });
});
