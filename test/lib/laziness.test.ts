/**
 * "A file that uses three lib functions pays for three": `import <nixpkgs/lib>`
 * must import only the lib files the used functions live in. The fixture
 * tree (test/fixtures/lib-lazy) is shaped like nixpkgs' lib and holds a file
 * that throws when imported and one that does not parse; using other
 * functions must never touch them, while using them must fail as in Nix
 * (so the traps are known to work). Results are checked against real
 * nix-instantiate.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { evalLibHere, evalLibWithNix, type LibEvalRequest } from './libEval.js';
import { libFilesRead as filesUnder } from './libSuites.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = path.join(root, 'test/fixtures/lib-lazy');
const searchPath = [`nixpkgs=${fixture}`];

const threeFunctions = 'let lib = import <nixpkgs/lib>; in '
  + 'lib.concatMapStringsSep "," (x: x + "!") (lib.optionals true [ "a" "b" ]) + lib.optionalString true "c"';

function request(expr: string): LibEvalRequest {
  return { expr, cwd: fixture, searchPath, countReads: true, strict: true };
}

/** The fixture's lib files read, as names relative to lib/, sorted and distinct. */
const libFilesRead = (files: readonly string[] | undefined) => filesUnder(fixture, files);

describe('import <nixpkgs/lib> is lazy', () => {
  test('three functions read only the files they live in (and what those use)', async () => {
    const ours = evalLibHere(request(threeFunctions));
    expect(ours.error).toBeUndefined();
    expect(ours.output).toBe('"a!,b!c"');
    expect(libFilesRead(ours.filesRead)).toEqual(['default.nix', 'lists.nix', 'strings.nix']);
    expect((await evalLibWithNix(request(threeFunctions))).output).toBe(ours.output);
  });

  test('the lib attribute set itself imports no sub-library', () => {
    const ours = evalLibHere(request('builtins.length (builtins.attrNames (import <nixpkgs/lib>))'));
    expect(ours.output).toBe('12');
    expect(libFilesRead(ours.filesRead)).toEqual(['default.nix']);
  });

  test('a function from another file reads that file only', () => {
    const ours = evalLibHere(request('(import <nixpkgs/lib>).const 1 2'));
    expect(ours.output).toBe('1');
    expect(libFilesRead(ours.filesRead)).toEqual(['default.nix', 'trivial.nix']);
  });

  test('the traps work: using them fails as in Nix', async () => {
    const sprung = evalLibHere(request('(import <nixpkgs/lib>).sprung'));
    expect(sprung.error).toBe('lib-lazy fixture: trap.nix was imported');
    expect((await evalLibWithNix(request('(import <nixpkgs/lib>).sprung'))).error).toBe('lib-lazy fixture: trap.nix was imported');
    const broken = evalLibHere(request('(import <nixpkgs/lib>).broken'));
    expect(broken.error).toMatch(/unexpected|syntax error/);
    expect(libFilesRead(broken.filesRead)).toContain('unparsable.nix');
  });

  test('pkgs.lib of `import <nixpkgs> {}` is native and as lazy', () => {
    const ours = evalLibHere(request('let pkgs = import <nixpkgs> { }; in pkgs.lib.optionalString true (pkgs.lib.id "x")'));
    expect(ours.error).toBeUndefined();
    expect(ours.output).toBe('"x"');
    expect(libFilesRead(ours.filesRead)).toEqual(['default.nix', 'strings.nix', 'trivial.nix']);
  });

  test('the eval command evaluates the same, with nothing on stderr', async () => {
    const cli = path.join(root, 'bin/tsportable.js');
    const ours = await execa('node', [cli, 'eval', '--strict', '-I', `nixpkgs=${fixture}`, '-E', threeFunctions], { reject: false });
    expect(ours.stderr).toBe('');
    expect(ours.stdout.trim()).toBe('"a!,b!c"');
  });
});
