/**
 * The stand-in package set's builders, built with real nix-build: each output's
 * layout, modes and contents as nixpkgs' builder of the same name gives them,
 * plus overlays, overrideAttrs (both forms), callPackage with `.override`, and
 * the build failures nixpkgs reports (replaceVars). One nix-build builds all.
 */
import { lstat, readFile, readlink, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAttrs, buildFailure, evalFailure, evalJson, nixsideDir } from './nixRun.js';

const buildsFile = join(nixsideDir, 'builds.nix');

const attrs = [
  'text', 'textFile', 'textDir', 'script', 'scriptBin', 'shellScript', 'shellScriptBin',
  'concat', 'concatFile', 'runCmd', 'runLocal', 'replaced', 'substituted', 'substitutedExecutable',
  'joined', 'env', 'overlaid', 'overrideOld', 'overrideFinal', 'callPkg', 'callPkgOverridden',
  'greeterOverridden', 'demoProgramCheck', 'phased', 'customPhases', 'ownBuilder',
] as const;
type Attr = (typeof attrs)[number];

let out: Record<Attr, string>;

/** Permission bits of a path, as an octal string ("555"). */
async function mode(path: string): Promise<string> {
  return ((await lstat(path)).mode & 0o777).toString(8);
}

/** Every entry under a directory, relative, sorted, with a type letter. */
async function tree(dir: string, prefix = ''): Promise<string[]> {
  const entries: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    const info = await lstat(path);
    const rel = prefix + name;
    if (info.isSymbolicLink()) entries.push(`l ${rel} -> ${await readlink(path)}`);
    else if (info.isDirectory()) entries.push(`d ${rel}`, ...(await tree(path, rel + '/')));
    else entries.push(`f ${rel}`);
  }
  return entries;
}

beforeAll(async () => {
  out = (await buildAttrs(buildsFile, [...attrs])) as Record<Attr, string>;
});

describe('text writers', () => {
  test('writeText is a read-only file holding the text, name as given', async () => {
    expect(out.text).toMatch(/-plain\.txt$/);
    expect(await readFile(out.text, 'utf8')).toBe('line one\nline two');
    expect(await mode(out.text)).toBe('444');
  });

  test('writeTextFile with destination, executable and checkPhase', async () => {
    expect(await tree(out.textFile)).toEqual(['d bin', 'f bin/tool', 'f checked']);
    expect(await mode(join(out.textFile, 'bin/tool'))).toBe('555');
    expect(await readFile(join(out.textFile, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\necho tool\n');
  });

  test('writeTextDir puts the file at its path, named by its base name', async () => {
    expect(out.textDir).toMatch(/-readme\.txt$/);
    expect(await tree(out.textDir)).toEqual(['d share', 'd share/doc', 'f share/doc/readme.txt']);
    expect(await readFile(join(out.textDir, 'share/doc/readme.txt'), 'utf8')).toBe('read me');
  });

  test('writeScript and writeScriptBin are executable, text unchanged', async () => {
    expect(await readFile(out.script, 'utf8')).toBe('echo script');
    expect(await mode(out.script)).toBe('555');
    expect(await tree(out.scriptBin)).toEqual(['d bin', 'f bin/script-bin']);
    expect(await mode(join(out.scriptBin, 'bin/script-bin'))).toBe('555');
  });

  test('writeShellScript(Bin) prefix the runtimeShell shebang and end with a newline', async () => {
    const bash = (await evalJson('(import <nixpkgs> { }).runtimeShell')) as string;
    expect(bash).toMatch(/^\/nix\/store\/[a-z0-9]{32}-bash-host\/bin\/bash$/);
    expect(await readFile(out.shellScript, 'utf8')).toBe(`#!${bash}\necho shell\n`);
    expect(await readFile(join(out.shellScriptBin, 'bin/shell-bin'), 'utf8')).toBe(`#!${bash}\necho shell-bin\n`);
    expect(await mode(join(out.shellScriptBin, 'bin/shell-bin'))).toBe('555');
  });

  test('writeShellScriptBin sets meta.mainProgram, writeShellScript does not', async () => {
    const meta = await evalJson(
      'with import <nixpkgs> { }; [ (writeShellScriptBin "a" "").meta.mainProgram ((writeShellScript "b" "").meta ? mainProgram) ]',
    );
    expect(meta).toEqual(['a', false]);
  });

  test('writeShellScript rejects a script bash cannot parse', async () => {
    const file = join(nixsideDir, 'errors.nix');
    const { stderr } = await buildFailure(file, 'badShellScript');
    expect(stderr).toMatch(/syntax error/);
  });

  test('writeTextFile rejects a relative destination', async () => {
    const { stderr } = await evalFailure('(import <nixpkgs> { }).writeTextFile { name = "x"; text = ""; destination = "bin/x"; }');
    expect(stderr).toContain("destination must be an absolute path, relative to the derivation's out path");
  });
});

describe('concatenation and commands', () => {
  test('concatText joins the files in order', async () => {
    expect(await readFile(out.concat, 'utf8')).toBe('[Unit]\nDescription=part one\n[Service]\nExecStart=/bin/true\n');
  });

  test('concatTextFile with destination and executable', async () => {
    expect(await tree(out.concatFile)).toEqual(['d etc', 'f etc/joined.conf']);
    expect(await mode(join(out.concatFile, 'etc/joined.conf'))).toBe('555');
    expect(await readFile(join(out.concatFile, 'etc/joined.conf'), 'utf8')).toBe('[Unit]\nDescription=part one\n[Install]\n');
  });

  test('runCommand passes its attributes as environment', async () => {
    expect(await readFile(join(out.runCmd, 'greeting'), 'utf8')).toBe('hi\n');
    expect(await readFile(out.runLocal, 'utf8')).toBe('local\n');
    const local = await evalJson('with import <nixpkgs> { }; [ (runCommandLocal "a" { } "").preferLocalBuild ((runCommand "b" { } "") ? preferLocalBuild) ]');
    expect(local).toEqual([true, false]);
  });

  test('a package built from the host runs', async () => {
    expect(await readFile(out.demoProgramCheck, 'utf8')).toBe('Hello, world!\n');
  });
});

describe('stdenv.mkDerivation', () => {
  test('default phases unpack the source, run make and make install, with hooks', async () => {
    expect(await tree(out.phased)).toEqual(['d share', 'f share/greeting.txt', 'f share/pre-build.log']);
    expect(await readFile(join(out.phased, 'share/greeting.txt'), 'utf8')).toBe('built by make\n');
    expect(await readFile(join(out.phased, 'share/pre-build.log'), 'utf8')).toBe('pre-build\n');
  });

  test('phases given as strings run in order, runHook runs the hook', async () => {
    expect(await tree(out.customPhases)).toEqual(['f hook', 'f result']);
  });

  test('a builder script sourcing $stdenv/setup', async () => {
    expect(await readFile(join(out.ownBuilder, 'message'), 'utf8')).toBe('from a builder script\n');
  });

  test('pname without version is an error', async () => {
    const { stderr } = await evalFailure('((import <nixpkgs> { }).stdenv.mkDerivation { pname = "x"; buildCommand = ""; }).drvPath');
    expect(stderr).toContain('was given without `version`');
  });
});

describe('replaceVars and substituteAll', () => {
  test('replaceVars replaces @name@ and keeps names given as null', async () => {
    expect(out.replaced).toMatch(/-template\.txt$/);
    expect(await readFile(out.replaced, 'utf8')).toBe('name=N greeting=hi there kept=@kept@\n');
  });

  test('replaceVars fails on a name the file does not have', async () => {
    const { stderr } = await buildFailure(join(nixsideDir, 'errors.nix'), 'replaceUnused');
    expect(stderr).toMatch(/pattern @unused@ doesn't match anything in file/);
  });

  test('replaceVars fails on an identifier left over', async () => {
    const { stderr } = await buildFailure(join(nixsideDir, 'errors.nix'), 'replaceLeftover');
    expect(stderr).toContain('The following look like unsubstituted Nix identifiers that remain in');
    expect(stderr).toContain('@kept@');
  });

  test('replaceVarsWith refuses attributes it sets itself', async () => {
    const { stderr } = await evalFailure(
      '(import <nixpkgs> { }).replaceVarsWith { src = ./files/template.txt; replacements = { }; doCheck = false; }',
    );
    expect(stderr).toContain('to replaceVarsWith is not supported');
  });

  test('substituteAll substitutes every lower-case attribute, including out', async () => {
    const text = await readFile(out.substituted, 'utf8');
    expect(text).toMatch(/^shell=\/nix\/store\/[a-z0-9]{32}-bash-host\/bin\/bash who=me /);
    expect(text).toContain(`self=${out.substituted} `);
    // Names starting with an upper-case letter are left alone, as in nixpkgs.
    expect(text).toContain('Upper=@Upper@');
  });

  test('substituteAll with dir and isExecutable', async () => {
    expect(await tree(out.substitutedExecutable)).toEqual(['d bin', 'f bin/legacy.txt']);
    expect(await mode(join(out.substitutedExecutable, 'bin/legacy.txt'))).toBe('555');
  });
});

describe('symlinkJoin and buildEnv', () => {
  test('symlinkJoin of a multi-output package links its default output and the outputs named', async () => {
    const paths = (await evalJson(
      'with import <nixpkgs> { }; { bin = multiOutputDemo.bin.outPath; dev = multiOutputDemo.dev.outPath; libdemo = libdemo.outPath; }',
    )) as Record<string, string>;
    const entries = await tree(out.joined);
    expect(entries).toContain(`l bin/multi-output-demo -> ${paths.bin}/bin/multi-output-demo`);
    expect(entries).toContain(`l include/multi-output-demo.h -> ${paths.dev}/include/multi-output-demo.h`);
    expect(entries).toContain(`l lib/libdemo.so -> ${paths.libdemo}/lib/libdemo.so`);
    expect(entries).toContain('f post');
    expect(entries.filter((e) => e.startsWith('d '))).toEqual(['d bin', 'd include', 'd lib']);
  });

  test('buildEnv links whole directories and adds extra outputs', async () => {
    const entries = await tree(out.env);
    expect(entries.map((e) => e.replace(/\/nix\/store\/[a-z0-9]{32}-/, 'STORE-'))).toEqual([
      'l bin -> STORE-hello-overlaid-1.0/bin',
      'l include -> STORE-libdemo-0.3-dev/include',
      'l lib -> STORE-libdemo-0.3/lib',
    ]);
  });

  test('buildEnv reports a collision', async () => {
    const { stderr } = await buildFailure(join(nixsideDir, 'errors.nix'), 'envCollision');
    expect(stderr).toContain('buildEnv error: collision between');
  });
});

describe('overlays, overrides and callPackage', () => {
  test('an overlay replaces a package everywhere it is used', async () => {
    const hello = (await readFile(out.overlaid, 'utf8')).trim();
    expect(hello).toMatch(/-hello-overlaid-1\.0$/);
    expect((await stat(join(hello, 'bin/hello'))).isFile()).toBe(true);
  });

  test('overrideAttrs with old: { } sees the previous attributes', async () => {
    expect(await readFile(out.overrideOld, 'utf8')).toBe('old-then-new\n');
  });

  test('overrideAttrs with final: prev: { } reaches mkDerivation (finalAttrs: ...)', async () => {
    expect(out.overrideFinal).toMatch(/-final-attrs-1-2$/);
    expect(await readFile(out.overrideFinal, 'utf8')).toBe('1-2\n');
  });

  test('callPackage of a local file, and .override of its argument', async () => {
    expect(await readFile(out.callPkg, 'utf8')).toBe('the word is DEFAULT');
    expect(await readFile(out.callPkgOverridden, 'utf8')).toBe('the word is OVERRIDDEN');
  });

  test('.override survives overrideAttrs (the fixture greeter)', async () => {
    const text = await readFile(join(out.greeterOverridden, 'bin/greeter'), 'utf8');
    expect(text).toContain("echo 'Howdy, world!'");
    expect(await evalJson('(import <nixpkgs> { }).greeter.greeting')).toBe('Hello');
  });

  test('callPackage names a missing argument', async () => {
    const { stderr } = await evalFailure('(import <nixpkgs> { }).callPackage ({ noSuchPackage }: noSuchPackage) { }');
    expect(stderr).toContain('Function called without required argument "noSuchPackage"');
  });

  test('extend and the package set arguments', async () => {
    const value = await evalJson(
      'let p = import <nixpkgs> { system = "aarch64-linux"; config.allowUnfree = true; }; e = p.extend (f: _: { marker = f.system; }); in [ p.system p.stdenv.hostPlatform.system p.config.allowUnfree e.marker p.tsportableStandIn ]',
    );
    expect(value).toEqual(['aarch64-linux', 'aarch64-linux', true, 'aarch64-linux', true]);
  });

  test('mkDerivation results have nixpkgs shape: outputs, outputSpecified, passthru on every output', async () => {
    const value = await evalJson(
      'let p = (import <nixpkgs> { }).multiOutputDemo; in [ p.outputs p.outputName p.dev.outputName p.dev.outputSpecified (p ? outputSpecified) p.dev.meta.mainProgram p.pname p.version p.name (map (o: o.outputName) p.all) ]',
    );
    expect(value).toEqual([
      ['bin', 'out', 'dev', 'lib'], 'bin', 'dev', true, false, 'multi-output-demo', 'multi-output-demo', '1.0', 'multi-output-demo-1.0',
      ['bin', 'out', 'dev', 'lib'],
    ]);
  });
});
