/**
 * What the bridge costs and how it fails: the number of Nix processes for a
 * build is constant whatever the number of units and packages, and Nix's
 * errors come back as NixErrors with Nix's message at the span in the user's
 * file that led there (a failed build being kind 'build', exit 100).
 */
import { NixError } from '../../src/eval/errors.js';
import { NixString } from '../../src/eval/value/index.js';
import { snippetFile, testNixpkgs, useSession } from './harness.js';

const s = useSession([`nixpkgs=${testNixpkgs}`]);

function processes(): number {
  const c = s.bridge.runner.counts;
  return c['nix-instantiate'] + c['nix-store'];
}

async function resolveFailure(text: string): Promise<NixError> {
  const v = s.eval(text) as NixString;
  try {
    await s.bridge.resolveStrings([v]);
  } catch (e) {
    if (e instanceof NixError) return e;
    throw e;
  }
  throw new Error('resolution succeeded');
}

describe('Nix processes per build', () => {
  // n units, each a writeText naming its own package variant and a shared local file.
  const units = (n: number) => `let pkgs = import <nixpkgs> { }; in [\n${Array.from({ length: n }, (_, i) =>
    `  "\${pkgs.writeText "u${i}.service" "ExecStart=\${pkgs.hello.overrideAttrs (o: { pname = "h${i}"; })}/bin/hello \${./unit.in}"}"\n`).join('')}]`;

  for (const n of [1, 12]) {
    test(`${n} units with ${n} packages: one evaluation, one realisation, one closure query`, async () => {
      const list = s.eval(units(n)) as unknown as { items: unknown[] };
      const strings = list.items.map((x) => s.evaluator.force(x as never)) as NixString[];
      const before = processes();
      const paths = await s.bridge.resolveStrings(strings);
      expect(paths).toHaveLength(n);
      expect(new Set(paths).size).toBe(n);
      await s.bridge.requisites(paths);
      expect(processes() - before).toBe(3);
    });
  }

  test('strings without context need no Nix at all', async () => {
    const before = processes();
    expect(await s.bridge.resolveStrings(['plain'])).toEqual(['plain']);
    expect(processes()).toBe(before);
  });
});

describe('errors', () => {
  test('an evaluation error inside the package set: Nix\'s message, the user\'s span', async () => {
    const e = await resolveFailure('let pkgs = import <nixpkgs> { };\nin "${pkgs.noSuchPackage}"');
    expect(e.kind).toBe('eval');
    expect(e.message).toMatch(/attribute 'noSuchPackage' missing/);
    expect(e.span?.source.path).toBe(snippetFile);
    expect([e.span?.line, e.span?.column]).toEqual([2, 7]);
  });

  test('an error Nix finds inside the user\'s function points into that function', async () => {
    const e = await resolveFailure('let pkgs = import <nixpkgs> { };\nin "${pkgs.hello.overrideAttrs (old: {\n  buildCommand = old.buildCommand + old.noSuchAttr;\n})}"');
    expect(e.message).toMatch(/attribute 'noSuchAttr' missing/);
    expect([e.span?.line, e.span?.column]).toEqual([3, 37]);
    expect(e.trace.map((f) => f.message)).toContain('while evaluating the attribute \'buildCommand\' of the derivation \'hello-1.0\'');
  });

  test('a failed build is a build error', async () => {
    const e = await resolveFailure('let pkgs = import <nixpkgs> { };\nin "${pkgs.runCommand "fails" { } "echo broken >&2; exit 3"}"');
    expect(e.kind).toBe('build');
    expect(e.message).toMatch(/fails\.drv/);
    expect(e.hints.join('\n')).toMatch(/broken/);
    expect(e.span?.line).toBe(2);
  });

  test('a native error Nix needs is reported as the native error, at its span', async () => {
    // `pkgs.pkgs.callPackage`: a function Nix runs (`pkgs.callPackage` itself is native).
    const e = await resolveFailure('let pkgs = import <nixpkgs> { };\nin "${pkgs.pkgs.callPackage ./pkg.nix {\n  extra = throw "no extra today";\n}}"');
    expect(e.kind).toBe('throw');
    expect(e.message).toBe('no extra today');
    expect(e.span?.line).toBe(3);
  });

  test('a value that cannot be written as Nix source is an error at its place, when Nix needs it', async () => {
    const e = await resolveFailure('let pkgs = import <nixpkgs> { };\n  f = pkgs.pkgs.callPackage ({ writeText }: x: writeText "f" (toString x)) { };\nin "${f\n  (1.0e308 * 10.0)}"');
    expect(e.message).toMatch(/cannot pass the float Infinity to Nix/);
    expect(e.span?.line).toBe(3);
  });

  test('a native error Nix does not need changes nothing', async () => {
    const v = s.eval('let pkgs = import <nixpkgs> { };\nin "${pkgs.callPackage ./pkg.nix { unused = throw "unused"; }}"') as NixString;
    const [p] = await s.bridge.resolveStrings([v]);
    expect(p).toMatch(/-from-callpackage$/);
  });
});
