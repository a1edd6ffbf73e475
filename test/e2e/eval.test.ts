/**
 * `tsportable eval` against the real `nix-instantiate --eval` (Debian's Nix
 * 2.8) on the same arguments: FILE and -E, -A paths, and the auto-calling
 * rules of --arg/--argstr (a function is called only when arguments are
 * given; only the formals it names are passed; a lambda without formals is
 * left alone), --strict, --json, --parse; then errors with their code frame
 * and --show-trace.
 *
 * Printing follows Nix 2.8, the Nix these tests run: functions print as
 * `<LAMBDA>`, primops as `<PRIMOP>`/`<PRIMOP-APP>`, unevaluated values as
 * `<CODE>`. Current Nix prints `«lambda @ file:line:col»`, `«primop add»`,
 * `«thunk»` instead; those cases would differ there and are compared with 2.8.
 */
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../../src/paths.js';
import { examplesDir, jsStackTrace, testNixpkgs, tsportable, useWorkspace } from './cli.js';
import { nix, writeTree } from '../flake/harness.js';

const ws = useWorkspace();
let cwd: string;
let cacheDir: string;

beforeAll(async () => {
  cwd = await ws.dir('eval');
  cacheDir = await ws.dir('cache');
  await writeFile(join(cwd, 'f.nix'), '{ a ? 1, b }: { sum = a + b; inherit b; list = [ 1 "two" { x = 3; } ]; fn = x: x; nested.deep = a; }\n');
  await writeFile(join(cwd, 'trace.nix'), 'let\n  f = x: g (x + 1);\n  g = y: throw "boom ${toString y}";\nin\nf 1\n');
  await writeFile(join(cwd, 'broken.nix'), 'rec {\n  a = 1;\n  b = a + missing;\n}\n');
});

async function nixInstantiate(args: readonly string[]) {
  const r = await execa('nix-instantiate', args, { cwd, reject: false });
  return { exitCode: r.exitCode, stdout: String(r.stdout).trim() };
}

async function ours(args: readonly string[]) {
  const r = await tsportable(['eval', ...args], { cwd, cacheDir });
  expect(r.stderr).not.toMatch(jsStackTrace);
  return { exitCode: r.exitCode, stdout: r.stdout.trim() };
}

const evalCases: readonly (readonly string[])[] = [
  ['f.nix'],
  ['f.nix', '--arg', 'b', '2'],
  ['f.nix', '--arg', 'b', '2', '--strict'],
  ['f.nix', '--arg', 'b', '2', '-A', 'sum'],
  ['f.nix', '--argstr', 'b', 'text', '-A', 'b'],
  ['f.nix', '--arg', 'b', '2', '--arg', 'a', '40', '-A', 'sum'],
  ['f.nix', '--arg', 'b', '2', '-A', 'list', '--strict'],
  ['f.nix', '--arg', 'b', '2', '-A', 'list.2.x'],
  ['f.nix', '--arg', 'b', '2', '-A', 'nested'],
  ['f.nix', '--arg', 'b', '2', '-A', 'list', '--json', '--strict'],
  ['-E', '{ a ? 1 }: a'],
  ['-E', '{ a ? 1 }: a', '--arg', 'a', '5'],
  ['-E', '{ a ? 1 }: a', '--argstr', 'unrelated', 'x'],
  ['-E', '{ a ? 1, ... }@args: args', '--argstr', 'extra', 'x', '--strict'],
  ['-E', 'x: x', '--arg', 'x', '1'],
  ['-E', '[ 1 (2 + 3) ]'],
  ['-E', '[ 1 (2 + 3) ]', '--strict'],
  ['-E', 'rec { a = b; b = 2; }'],
  ['-E', '{ f = x: x; p = builtins.add; q = builtins.add 1; }', '--strict'],
  ['-E', '{ s = "a\\nb\\t\\"q\\" \\${x}"; n = null; t = true; fl = 1.5 * 3; neg = -7; }', '--strict'],
  ['-E', './.'],
  ['-E', '{ z = 1; a = [ ]; m = { }; s = "\\u00e9\\n"; }', '--json', '--strict'],
  ['-E', '{ a = 1; }', '-A', 'a'],
  ['-E', '[ 10 20 ]', '-A', '1'],
  // Printed and written in chunks (src/eval/print.ts): 150 KB.
  ['-E', 'builtins.genList (i: { n = i; s = "x\\${toString i}"; l = [ i ]; }) 4000', '--strict'],
];

describe('eval prints what nix-instantiate --eval prints', () => {
  test.each(evalCases.map((c) => [c.join(' '), c] as const))('%s', async (_name, args) => {
    const nix = await nixInstantiate(['--eval', ...args]);
    expect(nix.exitCode).toBe(0);
    expect(await ours(args)).toEqual(nix);
  });
});

test('--json without --strict forces the value, as current Nix does (Nix 2.8 fails: "cannot convert a thunk to JSON")', async () => {
  const nix = await nixInstantiate(['--eval', '--json', '-E', '{ z = 1 + 1; a = [ (1 + 1) ]; }']);
  expect(nix.exitCode).toBe(1);
  expect(await ours(['--json', '-E', '{ z = 1 + 1; a = [ (1 + 1) ]; }'])).toEqual({ exitCode: 0, stdout: '{"a":[2],"z":2}' });
});

describe('values Nix computes (packages, derivations) print as nix-instantiate prints them, with real store paths', () => {
  const standInDir = join(packageRoot, 'nix', 'pkgs');
  const standIn = ['-I', `nixpkgs=${standInDir}`];
  const fixture = ['-I', `nixpkgs=${testNixpkgs}`];
  const drv = 'derivation { name = "x"; builder = "/bin/sh"; system = "x86_64-linux"; }';
  const multi = 'derivation { name = "m"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = [ "out" "dev" ]; }';
  const cases: readonly (readonly string[])[] = [
    // A derivation in full: deep (each dependency's attributes too), parts printed before «repeated».
    [...standIn, '--strict', '-E', '(import <nixpkgs> { }).hello'],
    [...standIn, '-E', '(import <nixpkgs> { }).hello'],
    [...standIn, '--strict', '-E', `import ${join(examplesDir, 'demo')} { }`],
    [...fixture, '--strict', '-E', '(import <nixpkgs> { }).greeter'],
    [...fixture, '--strict', '-E', '(import <nixpkgs> { }).libdemo.dev'],
    // «repeated» across values: the package's meta and its stdenv were printed with it.
    [...fixture, '--strict', '-E', 'let p = import <nixpkgs> { }; in [ p.greeter p.greeter p.greeter.meta p.greeter.stdenv { a = p.greeter.name; } ]'],
    ['--strict', '-E', drv],
    // Without --strict, what derivation.nix leaves unevaluated: `all`, the outputs but the first.
    ['-E', drv],
    ['-E', multi],
    ['--strict', '-E', `let d = ${multi}; in [ d.dev d d.all ]`],
    // Strings made from derivations, native and Nix's own: their real paths.
    [...standIn, '--strict', '-E', `let d = ${drv}; p = import <nixpkgs> { }; in [ d.outPath d.drvPath "\${d}/bin" (toString p.hello) "\${p.hello}/bin/hello" p.hello.drvPath ]`],
    // --json of a package's data: what Nix computes, read back (its derivations as their paths).
    [...fixture, '--json', '--strict', '-E', 'let p = import <nixpkgs> { }; in [ p.hello.meta p.hello.all p.libdemo.outputs (builtins.toJSON p.hello.meta) ]'],
    [...standIn, '--json', '--strict', '-E', `let d = ${drv}; p = import <nixpkgs> { }; in [ d d.drvPath "\${d}/bin" p.hello p.hello.drvPath "\${p.hello}/bin/hello" ]`],
  ];
  test.each(cases.map((c) => [c.join(' '), c] as const))('%s', async (_name, args) => {
    const nix = await nixInstantiate(['--eval', ...args]);
    expect(nix.exitCode).toBe(0);
    expect(await ours(args)).toEqual(nix);
  });

  test('a package set whose path has a space: its paths print as Nix prints them (with the space)', async () => {
    const dir = join(await ws.dir('with space'), 'pkgs');
    await cp(standInDir, dir, { recursive: true });
    const args = ['--strict', '-I', `nixpkgs=${dir}`, '-E', 'let p = import <nixpkgs> { }; in [ p.hello.src p.hello.pname { a = p.hello.version; } ]'];
    const nix = await nixInstantiate(['--eval', ...args]);
    expect(nix.stdout).toContain('with space/pkgs/host/hello.c "hello"');
    expect(await ours(args)).toEqual(nix);
  });

  test('--json of a derivation is its output path (Nix 2.8 needs --strict for it)', async () => {
    const nix = await nixInstantiate(['--eval', '--json', '--strict', ...standIn, '-E', '(import <nixpkgs> { }).hello']);
    expect(nix.stdout).toMatch(/^"\/nix\/store\/[0-9a-z]{32}-hello-1\.0"$/);
    expect(await ours(['--json', ...standIn, '-E', '(import <nixpkgs> { }).hello'])).toEqual(nix);
  });

  // The same line on stderr as Nix's, with the package's real path.
  const stderrCases = [
    { what: 'an error message', expr: 'throw "no ${p.hello}"', line: /^error: no \/nix\/store\/[0-9a-z]{32}-hello-1\.0$/m, exitCode: 1, stdout: '' },
    { what: 'a trace', expr: 'builtins.trace "t ${p.hello}" 1', line: /^trace: t \/nix\/store\/[0-9a-z]{32}-hello-1\.0$/m, exitCode: 0, stdout: '1\n' },
  ];
  test.each(stderrCases)('$what naming a package names its real path, as in Nix', async ({ expr, line, exitCode, stdout }) => {
    const args = [...standIn, '-E', `let p = import <nixpkgs> { }; in ${expr}`];
    const nix = await execa('nix-instantiate', ['--eval', ...args], { cwd, reject: false });
    const expected = line.exec(String(nix.stderr))?.[0];
    expect(expected).toBeDefined();
    const r = await tsportable(['eval', ...args], { cwd, cacheDir });
    expect([r.exitCode, r.stdout]).toEqual([exitCode, stdout]);
    expect(r.stderr.split('\n')).toContain(expected);
  });

  test('a flake output (eval .#x) has the paths nix eval gives: a native derivation, a package, strings made from them', async () => {
    const dir = await ws.dir('flake');
    writeTree(dir, {
      'flake.nix': `{
        inputs.nixpkgs.url = "path:${standInDir}";
        outputs = { self, nixpkgs }: {
          drv = ${drv};
          all = [ self.drv nixpkgs.legacyPackages.x86_64-linux.hello "\${self.drv}/bin" ];
        };
      }`,
    });
    const run = (args: readonly string[]) => tsportable(['eval', ...args], { cwd: dir, cacheDir });
    // One at a time: each may write the flake's lock file.
    const nixJson = await nix(['eval', '--json', '.#all'], dir);
    const nixDrvPath = await nix(['eval', '--raw', '.#drv.drvPath'], dir);
    expect([nixJson.exitCode, nixDrvPath.exitCode]).toEqual([0, 0]);
    expect((await run(['--json', '.#all'])).stdout).toBe(`${nixJson.stdout}\n`);
    // Current Nix's printer shows a derivation as «derivation DRV» (Nix 2.8 prints the set).
    expect((await run(['.#drv'])).stdout).toBe(`«derivation ${nixDrvPath.stdout}»\n`);
  });

  test('a value nested deeper than max-call-depth fails as in current Nix; a deep one below it prints', async () => {
    const nested = (n: number) => `let f = n: if n == 0 then [ ] else [ (f (n - 1)) ]; in f ${n}`;
    const deep = await ours(['--strict', '-E', nested(2000)]);
    expect(deep).toEqual(await nixInstantiate(['--eval', '--strict', '-E', nested(2000)]));
    const tooDeep = await tsportable(['eval', '--strict', '-E', nested(20000)], { cwd, cacheDir });
    expect(tooDeep.exitCode).toBe(1);
    expect(tooDeep.stderr).toMatch(/^error: stack overflow; max-call-depth exceeded$/m);
    expect(tooDeep.stderr).not.toMatch(jsStackTrace);
  });
});

describe('--parse prints what nix-instantiate --parse prints', () => {
  const parseCases = ['let a = 1; in a + 2', 'if true then "x${toString 1}" else null', '{ a ? 1, ... }: [ a (a - 1) ]'];
  test.each(parseCases)('%s', async (expr) => {
    const nix = await nixInstantiate(['--parse', '-E', expr]);
    expect(nix.exitCode).toBe(0);
    expect(await ours(['--parse', '-E', expr])).toEqual(nix);
  });
});

describe('errors', () => {
  test('an error in a file: exit 1, message, file:line:col and a code frame', async () => {
    const r = await tsportable(['eval', 'broken.nix', '--strict'], { cwd, cacheDir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: undefined variable 'missing'$/m);
    expect(r.stderr).toContain(`${join(cwd, 'broken.nix')}:3:11`);
    // The frame shows line 3 and puts the caret under column 11 (`missing`).
    const lines = r.stderr.split('\n');
    const code = lines.findIndex((l) => /^ +3\| {3}b = a \+ missing;$/.test(l));
    expect(code).toBeGreaterThan(0);
    const bar = lines[code]!.indexOf('|');
    expect(lines[code + 1]!.indexOf('^') - bar).toBe(lines[code]!.indexOf('missing') - bar);
    expect(r.stderr).not.toMatch(jsStackTrace);
    const nix = await nixInstantiate(['--eval', '--strict', 'broken.nix']);
    expect(nix.exitCode).toBe(1);
  });

  test('an error in -E: exit 1, at «string»', async () => {
    const r = await tsportable(['eval', '-E', '1 + "a"'], { cwd, cacheDir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: .*/m);
    expect(r.stderr).toContain('«string»:1:');
    expect(r.stderr).not.toMatch(jsStackTrace);
  });

  test('--show-trace adds the frames nix-instantiate --show-trace shows; without it they are left out', async () => {
    const file = join(cwd, 'trace.nix');
    const short = await tsportable(['eval', 'trace.nix'], { cwd, cacheDir });
    const long = await tsportable(['eval', '--show-trace', 'trace.nix'], { cwd, cacheDir });
    const nix = await execa('nix-instantiate', ['--eval', '--show-trace', 'trace.nix'], { cwd, reject: false });
    expect([short.exitCode, long.exitCode, nix.exitCode]).toEqual([1, 1, 1]);
    for (const r of [short, long]) expect(r.stderr).toMatch(/error: boom 2/);
    // Nix names the functions being called where they are defined: g at 3:7, f at 2:7.
    const framesOfNix = [...String(nix.stderr).matchAll(/… while evaluating '(\w+)'\n\n\s+at (\S+):(\d+):(\d+):/g)].map((m) => [m[1], `${m[2]}:${m[3]}:${m[4]}`]);
    expect(framesOfNix).toEqual([['g', `${file}:3:7`], ['f', `${file}:2:7`]]);
    for (const [name, at] of framesOfNix) {
      expect(long.stderr).toMatch(new RegExp(`… while calling '${name}'\\n\\s+at ${at!.replace(/[.]/g, '\\.')}:`));
      expect(short.stderr).not.toMatch(new RegExp(`while calling '${name}'`));
    }
  });

  test('--strict and deepSeq: an error inside sets has the frames of the attributes holding it, as in Nix', async () => {
    const value = '{ x = [ { a = throw "boom"; } ]; }';
    const nix = await execa('nix-instantiate', ['--eval', '--strict', '--show-trace', '-E', value], { cwd, reject: false });
    const frames = (stderr: string) => [...stderr.matchAll(/… while evaluating the attribute '(\w+)'\n\s+at «string»:(\d+):(\d+):/g)].map((m) => m.slice(1).join(':'));
    expect(frames(String(nix.stderr))).toEqual(['a:1:11', 'x:1:3']);
    for (const args of [['--strict', '-E', value], ['-E', `builtins.deepSeq ${value} 1`]]) {
      const r = await tsportable(['eval', '--show-trace', ...args], { cwd, cacheDir });
      expect(r.exitCode).toBe(1);
      const at = args[0] === '--strict' ? 0 : 'builtins.deepSeq '.length;
      // Printed outermost first, as current Nix prints a trace (2.8 prints it innermost first).
      expect(frames(r.stderr)).toEqual([`x:1:${3 + at}`, `a:1:${11 + at}`]);
    }
  });
});
