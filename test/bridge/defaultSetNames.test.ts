/**
 * The default package set's names, known without Nix: its own packages, the
 * host's programs below them (each a closed package, with a notice), and
 * Nix's missing-attribute error with a hint for a name neither has. Real Nix
 * evaluating the same set (directly, or through the test set built on it)
 * must see the same package.
 */
import { join } from 'node:path';
import { NixError } from '../../src/eval/errors.js';
import { evalSettings } from '../../src/eval/settings.js';
import { NixString } from '../../src/eval/value/index.js';
import { nixDir } from '../../src/paths.js';
import { nixString, snippetFile, testNixpkgs, useSession } from './harness.js';

const s = useSession([]);
const withPkgs = (body: string) => `let pkgs = import <nixpkgs> { }; in ${body}`;

/** Every Nix process the bridge runs while `f` runs. */
function nixRuns(f: () => void): string[][] {
  const runs: string[][] = [];
  const run = s.bridge.runner.run.bind(s.bridge.runner);
  s.bridge.runner.run = (program, args, options) => {
    runs.push([program, ...args]);
    return run(program, args, options);
  };
  try {
    f();
  } finally {
    s.bridge.runner.run = run;
  }
  return runs;
}

function errorOf(f: () => unknown): NixError {
  try {
    f();
  } catch (e) {
    if (e instanceof NixError) return e;
    throw e;
  }
  throw new Error('no error');
}

test('the set uses its own directory', () => {
  expect(s.bridge.usingDefault).toBe(true);
  expect(s.bridge.nixpkgsDir).toBe(join(nixDir, 'pkgs'));
});

test('`?` on own names and host programs needs no Nix', () => {
  let answers: unknown;
  const runs = nixRuns(() => {
    answers = s.evaluator.toJSON(s.eval(withPkgs('[ (pkgs ? coreutils) (pkgs ? writeText) (pkgs ? sh) (pkgs ? notAProgramAnywhere) (pkgs.notAProgramAnywhere or 7) ]')));
  });
  expect(JSON.parse(answers as string)).toEqual([true, true, true, false, 7]);
  expect(runs).toEqual([]);
});

test('a host program by name: one notice, and the package real Nix makes from the same set', async () => {
  const before = s.notices.length;
  const v = s.eval(withPkgs('"${pkgs.sh}/bin/sh ${pkgs.sh}"'));
  expect(s.notices.slice(before)).toEqual([
    expect.stringMatching(/^tsportable: pkgs\.sh is made from the host's \/(usr\/)?bin\/sh, with the libraries it needs \(the default package set has no sh of its own\)$/),
  ]);
  const [ours] = await s.bridge.resolveStrings([v as NixString]);
  const viaDefault = await nixString(withPkgs('pkgs.sh'), [`nixpkgs=${join(nixDir, 'pkgs')}`]);
  expect(ours).toBe(`${viaDefault}/bin/sh ${viaDefault}`);
  // The test set is the default set with an overlay: nix-build with it sees the same package.
  expect(await nixString(withPkgs('pkgs.sh'), [`nixpkgs=${testNixpkgs}`])).toBe(viaDefault);
});

test('a name neither the set nor the host has: Nix\'s error at the selection, with a hint', () => {
  const e = errorOf(() => s.eval(withPkgs('pkgs.notAProgramAnywhere')));
  expect(e.message).toBe("attribute 'notAProgramAnywhere' missing");
  expect(e.span).toMatchObject({ line: 1, column: 37, endColumn: 61 });
  expect(e.span?.source.path).toBe(snippetFile);
  expect(e.hints).toEqual([
    "tsportable's default package set has no 'notAProgramAnywhere', and the host has no program 'notAProgramAnywhere' (in /usr/bin, /bin, /usr/sbin, /sbin, /usr/local/bin) to make one from: install it, or use nixpkgs (-I nixpkgs=PATH)",
  ]);
});

test('a misspelt package: did you mean', () => {
  const e = errorOf(() => s.eval(withPkgs('pkgs.portableServce')));
  expect(e.hints[0]).toBe('Did you mean portableService?');
});

test('with an overlay, the set\'s names are Nix\'s to tell', () => {
  let has: unknown;
  const runs = nixRuns(() => { has = s.eval('(import <nixpkgs> { overlays = [ (final: prev: { mine = 1; }) ]; }) ? mine'); });
  expect(has).toBe(true);
  expect(runs.length).toBeGreaterThan(0);
});

test('in pure evaluation the host\'s programs are not offered', () => {
  evalSettings.pureEval = true;
  try {
    expect(s.eval(withPkgs('pkgs ? sh'))).toBe(false);
    const e = errorOf(() => s.eval(withPkgs('pkgs.sh')));
    expect(e.hints).toContain("tsportable's default package set has no 'sh', and in pure or restricted evaluation it offers no host programs; use nixpkgs (-I nixpkgs=PATH, or a nixpkgs flake input)");
  } finally {
    evalSettings.pureEval = false;
  }
});
