/**
 * The two ways the stand-in set is reached: nix/pkgs itself standing for
 * nixpkgs (`-I nixpkgs=nix/pkgs`, what tsportable uses when no `<nixpkgs>` is
 * found) and the test set (`-I nixpkgs=test/fixtures/nixpkgs`) that adds test
 * packages on top. Both must answer `import <nixpkgs> { }`, `<nixpkgs/lib>`
 * and `pkgs.path` as nixpkgs does.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { fixtureNixpkgs } from './nixRun.js';

const standIn = join(packageRoot, 'nix', 'pkgs');

async function evalWith(nixpkgs: string, expr: string): Promise<unknown> {
  const { stdout } = await execa('nix-instantiate', ['-I', `nixpkgs=${nixpkgs}`, '--eval', '--strict', '--json', '-E', expr]);
  return JSON.parse(stdout);
}

const probe = `
  let
    pkgs = import <nixpkgs> { };
    lib = import <nixpkgs/lib>;
  in {
    libSame = builtins.attrNames lib == builtins.attrNames pkgs.lib;
    viaPath = (import pkgs.path { }).hello.outPath == pkgs.hello.outPath;
    pathLib = builtins.attrNames (import (pkgs.path + "/lib")) == builtins.attrNames lib;
    hello = lib.getExe pkgs.hello;
    hasGreeter = pkgs ? greeter;
    standIn = pkgs.tsportableStandIn;
  }`;

test('nix/pkgs stands for nixpkgs on its own', async () => {
  const value = (await evalWith(standIn, probe)) as Record<string, unknown>;
  expect(value).toMatchObject({ libSame: true, viaPath: true, pathLib: true, hasGreeter: false, standIn: true });
  expect(value.hello).toMatch(/^\/nix\/store\/[a-z0-9]{32}-hello-1\.0\/bin\/hello$/);
});

test('the test set is the stand-in plus test packages, same store paths', async () => {
  const [fixture, plain] = (await Promise.all([evalWith(fixtureNixpkgs, probe), evalWith(standIn, probe)])) as Record<string, unknown>[];
  expect(fixture).toMatchObject({ libSame: true, pathLib: true, hasGreeter: true, standIn: true });
  expect(fixture!.hello).toBe(plain!.hello);
});

test('overlays given to the test set apply after its own', async () => {
  const value = await evalWith(
    fixtureNixpkgs,
    '(import <nixpkgs> { overlays = [ (final: prev: { greeter = prev.greeter.override { greeting = "Hi"; }; }) ]; }).greeter.greeting',
  );
  expect(value).toBe('Hi');
});
