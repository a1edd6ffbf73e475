/**
 * The bridge end to end, with real Nix and a package set that behaves like
 * nixpkgs (`-I nixpkgs=test/fixtures/nixpkgs`), and again with tsportable's own
 * set (no `<nixpkgs>`): each snippet is evaluated natively, resolved through
 * the bridge (one nix-instantiate, one nix-store --realise), and its text must
 * equal what nix-instantiate gives for the same expression; what it names must
 * exist in the store afterwards (it was realised).
 */
import { existsSync, readFileSync } from 'node:fs';
import { NixString } from '../../src/eval/value/index.js';
import { isForeign, NixAttrs, NixList } from '../../src/eval/value/index.js';
import { callFunction } from '../../src/eval/value/call.js';
import { nixString, useSession, testNixpkgs } from './harness.js';

const withPkgs = (body: string) => `let pkgs = import <nixpkgs> { }; in ${body}`;

// Each snippet evaluates to something a string can be made of ("${...}").
const snippets: Record<string, string> = {
  'foreign package in a string': withPkgs('"${pkgs.hello}/bin/hello"'),
  'symlink object': withPkgs('{ symlink = "/bin/sh"; object = "${pkgs.bash}/bin/sh"; }.object'),
  'native lambda to overrideAttrs': withPkgs('pkgs.hello.overrideAttrs (old: { pname = old.pname + "-renamed"; })'),
  'overlay': `let pkgs = import <nixpkgs> { overlays = [ (final: prev: {
      myHello = prev.hello.overrideAttrs (o: { pname = "my-hello"; });
      unit = final.writeText "my.service" "ExecStart=\${final.myHello}/bin/hello";
    }) ]; }; in pkgs.unit`,
  'native lambda capturing values (data, a package, a lib function)': `let
      pkgs = import <nixpkgs> { };
      suffix = "-captured";
      extra = pkgs.bash;
      inherit (pkgs) lib;
    in pkgs.hello.overrideAttrs (old: {
      pname = lib.concatMapStrings (s: s + suffix) [ old.pname ];
      nativeBuildInputs = [ extra ];
    })`,
  'overlay capturing a local value and a local file': `let
      greeting = "Howdy";
    in (import <nixpkgs> { overlays = [ (final: prev: {
      greeting = prev.writeText "greeting.txt" "\${greeting} from \${./unit.in}";
    }) ]; }).greeting`,
  'pkgs.extend with an overlay, then a builder of the extended set': withPkgs(`let ext = pkgs.extend (final: prev: {
      hello = prev.hello.overrideAttrs (o: { pname = "extended-hello"; });
    }); in ext.writeText "ext.service" "ExecStart=\${ext.hello}/bin/hello"`),
  'a partly applied lib function (from <nixpkgs/lib>, native) passed to Nix': `let
      pkgs = import <nixpkgs> { };
      lib = import <nixpkgs/lib>;
    in pkgs.callPackage ({ writeText }: f: writeText "lib-fn" (f [ "a" "b" ])) { } (lib.concatMapStrings (s: s + "!"))`,
  'callPackage of a local file': withPkgs('pkgs.callPackage ./pkg.nix { extra = "x"; }'),
  'a builder plugin function passed to Nix, partly applied': withPkgs('pkgs.callPackage ({ f }: f "partial content") { f = pkgs.writeText "partial.txt"; }'),
  'callPackage leaves unused native arguments unevaluated': withPkgs('pkgs.callPackage ./pkg.nix { unused = throw "never"; }'),
  'symlinkJoin of a multi-output package': withPkgs('pkgs.symlinkJoin { name = "joined"; paths = [ pkgs.hello pkgs.multiOutputDemo pkgs.multiOutputDemo.dev ]; }'),
  'replaceVars of a local file': withPkgs('pkgs.replaceVars ./unit.in { hello = pkgs.hello; greeting = "hi"; }'),
  'substituteAll of a local file': withPkgs('pkgs.substituteAll { src = ./unit-sa.in; hello = pkgs.hello; greeting = "hi"; }'),
  'local path interpolated': '"${./unit.in}"',
  'writeText with foreign and local references': withPkgs('pkgs.writeText "w.service" "ExecStart=${pkgs.hello}/bin/hello\\nData=${./unit.in}\\n"'),
  'builtins.derivation': 'derivation { name = "direct"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo hi > $out" ]; }',
};

for (const [label, searchPath] of [['test nixpkgs', [`nixpkgs=${testNixpkgs}`]], ['tsportable default set', []]] as const) {
  describe(`snippets with the ${label}`, () => {
    const s = useSession([...searchPath]);
    const nixSearchPath = s.bridge.searchPath;

    for (const [name, text] of Object.entries(snippets)) {
      test(name, async () => {
        const v = s.eval(`"\${${text}}"`);
        expect(v).toBeInstanceOf(NixString);
        const [resolved] = await s.bridge.resolveStrings([v as NixString]);
        expect(resolved).toBe(await nixString(text, [...nixSearchPath]));
        const storePath = resolved.match(/^\/nix\/store\/[^/]+/)![0];
        expect(existsSync(storePath)).toBe(true);
      });
    }

    test('a notice says when the default set stands in, once', () => {
      s.eval(withPkgs('pkgs.hello'));
      expect(s.notices).toEqual(label === 'test nixpkgs' ? [] : [expect.stringContaining('<nixpkgs> is not on the search path')]);
    });
  });
}

describe('values only Nix knows', () => {
  const s = useSession([`nixpkgs=${testNixpkgs}`]);

  test('a builder plugin result is foreign, with its spec and its name known natively', () => {
    const v = s.eval(withPkgs('pkgs.writeText "demo.service" "x"'));
    expect(isForeign(v)).toBe(true);
    expect((v as { builder?: unknown }).builder).toBeDefined();
    expect(s.eval(withPkgs('(pkgs.writeText "demo.service" "x").name'))).toBe('demo.service');
  });

  test('an extended package set keeps its builder plugins', () => {
    const v = s.eval(withPkgs('(pkgs.extend (final: prev: { })).writeText "x.service" "x"'));
    expect((v as { builder?: unknown }).builder).toBeDefined();
  });

  test('lib is native, from the package set', () => {
    const before = s.bridge.runner.counts['nix-instantiate'];
    expect(s.eval(withPkgs('pkgs.lib.optionalString true "yes"'))).toBe('yes');
    expect(s.bridge.runner.counts['nix-instantiate']).toBe(before);
  });

  test('readFile of a built path builds it during evaluation', () => {
    const v = s.eval(withPkgs('builtins.readFile "${pkgs.writeText "r.txt" "read me ${pkgs.hello}"}"'));
    // As Nix, the text carries the file's references (hello) as context.
    expect(v).toBeInstanceOf(NixString);
    const { s: text, context } = v as NixString;
    expect(text).toMatch(/^read me \/nix\/store\/[0-9a-z]{32}-hello-1\.0$/);
    expect([...context]).toEqual([text.slice('read me '.length)]);
  });

  test('a flake-style nixpkgs input: legacyPackages.${system} and import', async () => {
    const f = s.eval(`nixpkgs: [
      "\${nixpkgs.legacyPackages.\${builtins.currentSystem}.hello}"
      "\${(import nixpkgs { system = builtins.currentSystem; }).hello}"
      (nixpkgs.lib.optionalString true "native lib")
    ]`);
    // The input is its outputs and its outPath (src/flake/callFlake.ts adds sourceInfo and the rest).
    const outputs = s.bridge.flakeOutputs(s.bridge.nixpkgsDir);
    const input = new NixAttrs(new Map([...outputs.map, ['outPath', s.bridge.nixpkgsDir]]));
    const list = s.evaluator.force(callFunction(f, [input])) as NixList;
    const [a, b, c] = list.items.map((x) => s.evaluator.force(x));
    expect(c).toBe('native lib');
    const [ra, rb] = await s.bridge.resolveStrings([a as NixString, b as NixString]);
    const expected = await nixString('(import <nixpkgs> { }).hello', [`nixpkgs=${testNixpkgs}`]);
    expect([ra, rb]).toEqual([expected, expected]);
  });

  test('a package set for a top-level `{ pkgs }:` argument', async () => {
    const f = s.eval('{ pkgs }: "${pkgs.hello}"');
    const v = s.evaluator.force(callFunction(f, [new NixAttrs(new Map([['pkgs', s.bridge.packageSet()]]))])) as NixString;
    const [resolved] = await s.bridge.resolveStrings([v]);
    expect(resolved).toBe(await nixString('(import <nixpkgs> { }).hello', [`nixpkgs=${testNixpkgs}`]));
  });

  test('renderText shows foreign values as expressions', () => {
    const v = s.eval(withPkgs('"${pkgs.hello}/bin/hello"')) as NixString;
    expect(s.bridge.renderText(v)).toBe('${pkgs.hello}/bin/hello');
  });

  test('requisites of a realised package', async () => {
    const v = s.eval(withPkgs('"${pkgs.writeText "req" "${pkgs.hello}"}"')) as NixString;
    const [p] = await s.bridge.resolveStrings([v]);
    const closure = await s.bridge.requisites([p]);
    expect(closure).toContain(p);
    expect(closure.some((x) => x.endsWith('-hello-1.0'))).toBe(true);
    expect(readFileSync(p, 'utf8')).toMatch(/-hello-1\.0$/);
  });
});
