/**
 * `pkgs.callPackage`, `pkgs.newScope` and `pkgs.path`, computed natively
 * (src/bridge/callPackage.ts, packageSetRoots.ts): a package file gets the
 * builder plugins, so the nixpkgs manual's `{ lib, writeText, portableService,
 * hello }:` file builds an image; argument filling, defaults, the missing
 * argument error and `.override` behave as nixpkgs' `lib.callPackageWith`,
 * checked against real Nix where the result is a store path.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { NixError } from '../../src/eval/errors.js';
import { type Value, NixAttrs, NixPath, NixString, PrimOp, isForeign } from '../../src/eval/value/index.js';
import { packageRoot } from '../../src/paths.js';
import { fixtures, nixEnv, nixString, session, snippetFile, testNixpkgs, useSession } from './harness.js';

const fixtureSet = [`nixpkgs=${testNixpkgs}`];

describe('callPackage with the test package set', () => {
  const s = useSession(fixtureSet);
  const processes = () => s.bridge.runner.counts['nix-instantiate'] + s.bridge.runner.counts['nix-store'];
  const builderOf = (v: Value) => (v as unknown as { builder?: { spec: unknown } }).builder;

  test('plugins reach the package file: the result is the plugin\'s value, no Nix process for the call', () => {
    const before = processes();
    const v = s.eval(`let pkgs = import <nixpkgs> { }; in pkgs.callPackage ({ lib, writeText, portableService }: portableService {
      pname = "cp"; version = lib.versions.major "1.2";
      units = [ (writeText "cp.service" "[Service]\\nExecStart=/bin/true\\n") ];
    }) { }`);
    expect(isForeign(v)).toBe(true);
    expect(builderOf(v)).toBeDefined();
    expect(processes()).toBe(before);
  });

  test('explicit arguments win over the set; extra explicit arguments are passed; unused ones stay unevaluated', () => {
    expect(s.eval('(import <nixpkgs> { }).callPackage ({ hello }: hello) { hello = "mine"; }')).toBe('mine');
    expect(s.eval('(import <nixpkgs> { }).callPackage ({ a, ... }@args: args.b) { a = 1; b = 2; }')).toBe(2);
    expect(s.eval('(import <nixpkgs> { }).callPackage ({ writeText, x }: "ok") { x = throw "forced"; }')).toBe('ok');
  });

  test('a file path is imported natively', () => {
    const v = s.eval('(import <nixpkgs> { }).callPackage ./callpackage/service.nix { }');
    expect(builderOf(v)).toBeDefined();
  });

  test('defaults: kept when the set lacks the name, replaced by the set\'s value when it has it', () => {
    expect(s.eval('(import <nixpkgs> { }).callPackage ({ notInTheSet ? 5 }: notInTheSet) { }')).toBe(5);
    const v = s.eval('(import <nixpkgs> { }).callPackage ({ hello ? 5 }: hello) { }');
    expect(isForeign(v)).toBe(true);
  });

  test('a missing argument: nixpkgs\' message, at the call', () => {
    let err: unknown;
    try {
      s.eval('let pkgs = import <nixpkgs> { }; in\npkgs.callPackage ({ noSuchThing }: 1) { }');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NixError);
    const e = err as NixError;
    expect(e.message).toContain(`Function called without required argument "noSuchThing" at ${snippetFile}:2`);
    expect(e.span?.source.path).toBe(snippetFile);
    expect(e.span?.line).toBe(2);
  });

  test('.override on a native result re-calls with merged arguments (a set or a function of the old ones)', () => {
    const base = '(import <nixpkgs> { }).callPackage ({ x ? 1, y ? 10 }: { v = x + y; })';
    const v = (e: string) => s.evaluator.force((s.eval(e) as NixAttrs).get('v')!);
    expect(v(`${base} { }`)).toBe(11);
    expect(v(`(${base} { x = 2; }).override { y = 20; }`)).toBe(22);
    expect(v(`((${base} { x = 1; }).override (old: { x = old.x + 100; })).override { y = 0; }`)).toBe(101);
  });

  test('.override on a plugin result gives the plugin\'s value again', () => {
    const v = s.eval('((import <nixpkgs> { }).callPackage ({ writeText, text ? "a" }: writeText "t" text) { }).override { text = "b"; }');
    expect(builderOf(v)).toBeDefined();
    expect((s.evaluator.force((v as unknown as { select(n: string): Value }).select('name') as never))).toBe('t');
  });

  test('.override on a foreign result: the store path Nix gives', async () => {
    const expr = '((import <nixpkgs> { }).callPackage ({ hello, suffix ? "x" }: hello.overrideAttrs (o: { pname = "h${suffix}"; })) { }).override { suffix = "y"; }';
    const v = s.eval(`"\${${expr}}"`) as NixString;
    const [ours] = await s.bridge.resolveStrings([v]);
    expect(ours).toBe(await nixString(expr, fixtureSet));
    expect(ours).toMatch(/-hy-1\.0$/);
  });

  test('newScope: the scope\'s attributes win over the set\'s', () => {
    const v = s.eval('let pkgs = import <nixpkgs> { }; in (pkgs.newScope { hello = "scoped"; }) ({ hello, writeText }: writeText "g" hello) { }');
    expect(builderOf(v)).toBeDefined();
    expect((builderOf(v)!.spec as { text?: unknown })).toBeDefined();
  });

  test('lib.makeScope over pkgs.newScope: packages of the scope fill each other\'s formals natively', () => {
    const v = s.eval(`let pkgs = import <nixpkgs> { }; scope = pkgs.lib.makeScope pkgs.newScope (self: {
      greeting = "hi";
      unit = self.callPackage ({ writeText, greeting }: writeText "sc.service" greeting) { };
      image = self.callPackage ({ portableService, unit }: portableService { pname = "sc"; version = "1"; units = [ unit ]; }) { };
    }); in scope.image`);
    expect(builderOf(v)).toBeDefined();
  });

  test('import pkgs.path { } is a package set with plugins (the test set\'s root is the stand-in\'s)', () => {
    const p = s.eval('(import <nixpkgs> { }).path');
    expect(p).toBeInstanceOf(NixPath);
    expect((p as NixPath).path).toBe(join(packageRoot, 'nix', 'pkgs'));
    expect(s.eval('(import (import <nixpkgs> { }).path { }).writeText')).toBeInstanceOf(PrimOp);
    const v = s.eval('(import (import <nixpkgs> { }).path { }).writeText "x" "y"');
    expect(builderOf(v)).toBeDefined();
  });
});

describe('Nix processes', () => {
  // Fresh sessions: the oracle's answers are cached per bridge.
  const evalCount = (text: string): number => {
    const t = session(fixtureSet);
    t.bridge.install();
    t.eval(`let pkgs = import <nixpkgs> { }; in ${text}`);
    return t.bridge.runner.counts['nix-instantiate'] + t.bridge.runner.counts['nix-store'];
  };
  test('the manual\'s package file costs what the same file written with pkgs.<name> costs', () => {
    const viaCallPackage = evalCount('pkgs.callPackage ./callpackage/service.nix { }');
    const direct = evalCount(`let hello = pkgs.hello; in pkgs.portableService { pname = "hello"; inherit (hello) version;
      units = [ (pkgs.writeText "hello.service" "ExecStart=\${pkgs.lib.getExe hello}") ]; }`);
    expect(viaCallPackage).toBe(direct);
    expect(viaCallPackage).toBeLessThanOrEqual(1);
  });
});

describe('with the stand-in set', () => {
  const s = useSession([]);
  test('pkgs.path needs no Nix and imports as a package set', () => {
    const before = s.bridge.runner.counts['nix-instantiate'];
    expect(s.eval('(import (import <nixpkgs> { }).path { }).portableService')).toBeInstanceOf(PrimOp);
    expect(s.bridge.runner.counts['nix-instantiate']).toBe(before);
  });
});

describe('tsportable build of the nixpkgs manual\'s callPackage shape', () => {
  const file = join(fixtures, 'callpackage', 'default.nix');
  for (const [label, include] of [['the test set', ['-I', `nixpkgs=${testNixpkgs}`]], ['the stand-in set', []]] as const) {
    test(`builds the image with ${label}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'h15-cp-'));
      try {
        const r = await execa('node', [join(packageRoot, 'bin', 'tsportable.js'), 'build', ...include, file],
          { cwd: dir, env: { ...nixEnv, NIX_PATH: '', TSPORTABLE_CACHE_DIR: join(dir, 'cache') }, reject: false });
        expect(r.stderr).not.toMatch(/error/);
        expect(r.exitCode).toBe(0);
        expect(readdirSync(join(dir, 'result'))).toEqual(['hello_1.0.raw']);
        const list = await execa('unsquashfs', ['-l', join(dir, 'result', 'hello_1.0.raw')]);
        expect(list.stdout).toMatch(/hello\.service/);
        expect(list.stdout).toMatch(/-hello-1\.0/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
