/**
 * String contexts across the bridge, against real Nix: what a build refers to
 * is decided by contexts, so a context dropped natively must stay dropped in
 * Nix (`unsafeDiscardStringContext`, `match`, `split` keep a foreign value's
 * text, not its context), and `builtins.readFile` of a file in the store must
 * carry that store path's references, as Nix's does (import from derivation).
 * A mistake here builds a different image without any error, so each case
 * compares store paths, `builtins.getContext` results or image contents with
 * nix-instantiate / nix-build.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { NixString } from '../../src/eval/value/index.js';
import { packageRoot } from '../../src/paths.js';
import { fixtures, nixEnv, nixString, testNixpkgs, useSession } from './harness.js';

const searchPath = [`nixpkgs=${testNixpkgs}`];
const withPkgs = (body: string) => `let pkgs = import <nixpkgs> { }; in ${body}`;

/** nix-instantiate --eval --strict --json of an expression (read-write: import from derivation builds). */
async function nixJSON(expr: string): Promise<unknown> {
  const r = await execa('nix-instantiate',
    ['--eval', '--strict', '--json', '--read-write-mode', ...searchPath.flatMap((p) => ['-I', p]), '-E', expr],
    { cwd: fixtures, env: nixEnv });
  return JSON.parse(r.stdout);
}

describe('contexts dropped natively stay dropped in Nix', () => {
  const s = useSession(searchPath);

  const dropped: Record<string, string> = {
    unsafeDiscardStringContext: 'builtins.unsafeDiscardStringContext "${pkgs.greeter}/bin/greeter"',
    match: 'builtins.head (builtins.match "(.*)/bin/hello" "${pkgs.hello}/bin/hello")',
    split: 'builtins.head (builtins.split "/bin" "${pkgs.coreutils}/bin/true")',
  };

  for (const [how, expr] of Object.entries(dropped)) {
    test(`${how}: the text is Nix's, with no context (nothing to build)`, async () => {
      const v = s.eval(withPkgs(expr));
      expect(typeof v).toBe('string');
      const { texts, storePaths } = s.bridge.resolve([{ value: v as string }]);
      expect(texts).toEqual([await nixString(withPkgs(expr), searchPath)]);
      expect(texts[0]).toMatch(/^\/nix\/store\/[0-9a-z]{32}-/);
      expect(storePaths).toEqual([]);
    });

    test(`${how}: a unit made of it is the derivation Nix computes`, async () => {
      const unit = withPkgs(`pkgs.writeText "ctx.service" "ExecStart=\${${expr}}\\nExecStop=\${pkgs.bash}/bin/sh\\n"`);
      const [resolved] = await s.bridge.resolveStrings([s.eval(`"\${${unit}}"`) as NixString]);
      expect(resolved).toBe(await nixString(unit, searchPath));
    });
  }

  test('a string mixing a dropped and a kept context realises only the kept one', async () => {
    const expr = withPkgs('"${builtins.unsafeDiscardStringContext "${pkgs.greeter}"}:${pkgs.bash}"');
    const v = s.eval(expr);
    expect(v).toBeInstanceOf(NixString);
    const { texts, storePaths } = s.bridge.resolve([{ value: v as NixString }]);
    expect(texts).toEqual([await nixString(expr, searchPath)]);
    const bash = await nixString(withPkgs('pkgs.bash'), searchPath);
    expect(storePaths).toEqual([bash]);
    // Nix agrees: the context names bash's derivation only.
    expect(await nixJSON(`let s = ${expr}; in builtins.length (builtins.attrNames (builtins.getContext s))`)).toBe(1);
  });
});

describe('builtins.readFile of a store file has the references of its store path as context', () => {
  const s = useSession(searchPath);

  /** The native getContext of an expression, as JSON, after resolving nothing: readFile already realised. */
  const nativeContext = (expr: string): unknown =>
    JSON.parse(s.evaluator.toJSON(s.evaluator.forceDeep(s.eval(`builtins.getContext (${expr})`))));

  const ifdUnit = 'pkgs.runCommand "ifd-unit" { } "printf \'ExecStart=%s/bin/hello\\\\n\' ${pkgs.hello} > $out"';

  test('a built file (import from derivation): getContext equals Nix\'s', async () => {
    const expr = withPkgs(`builtins.readFile (${ifdUnit})`);
    const native = nativeContext(expr);
    const hello = await nixString(withPkgs('pkgs.hello'), searchPath);
    expect(native).toEqual({ [hello]: { path: true } });
    expect(native).toEqual(await nixJSON(`builtins.getContext (${expr})`));
    expect(JSON.parse(s.evaluator.toJSON(s.eval(expr)))).toBe(`ExecStart=${hello}/bin/hello\n`);
  });

  test('a file of a package already realised: getContext equals Nix\'s', async () => {
    const expr = withPkgs('builtins.readFile "${pkgs.greeter}/bin/greeter"');
    const native = nativeContext(expr);
    expect(Object.keys(native as object).length).toBeGreaterThan(0);
    expect(native).toEqual(await nixJSON(`builtins.getContext (${expr})`));
  });

  test('a unit whose text was read from a build output is the derivation Nix computes', async () => {
    const unit = withPkgs(`pkgs.writeText "ifd.service" (builtins.readFile (${ifdUnit}))`);
    const [resolved] = await s.bridge.resolveStrings([s.eval(`"\${${unit}}"`) as NixString]);
    expect(resolved).toBe(await nixString(unit, searchPath));
    const refs = (await execa('nix-store', ['--query', '--references', resolved], { env: nixEnv })).stdout.split('\n');
    expect(refs).toContain(await nixString(withPkgs('pkgs.hello'), searchPath));
  });

  test('the references of a store path are asked once, however often it is read', () => {
    const asked: string[][] = [];
    const run = s.bridge.runner.run.bind(s.bridge.runner);
    s.bridge.runner.run = (program, args, options) => {
      if (args[0] === '--query' && args[1] === '--references') asked.push([...args.slice(2)]);
      return run(program, args, options);
    };
    try {
      const file = '"${pkgs.multiOutputDemo.bin}/bin/multi-output-demo"';
      s.evaluator.forceDeep(s.eval(withPkgs(`let f = ${file}; in [ (builtins.readFile f) (builtins.readFile ${file}) ]`)));
      s.evaluator.forceDeep(s.eval(withPkgs(`builtins.readFile ${file}`)));
    } finally {
      s.bridge.runner.run = run;
    }
    expect(asked).toEqual([[expect.stringMatching(/^\/nix\/store\/[0-9a-z]{32}-multi-output-demo-1\.0-bin$/)]]);
  });

  test('a local file outside the store has no context', () => {
    expect(typeof s.eval('builtins.readFile ./unit.in')).toBe('string');
  });
});

/** The store paths an image holds (the directories under nix/store in its tree). */
async function imageStorePaths(image: string): Promise<string[]> {
  const { stdout } = await execa('unsquashfs', ['-l', '-d', '', image]);
  const names = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /^\/nix\/store\/([^/]+)/.exec(line);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

describe('an image built with tsportable holds what nix-build\'s holds', () => {
  const file = join(fixtures, 'contexts-image.nix');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsportable-contexts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('import from derivation keeps hello; dropped contexts leave greeter and coreutils out', async () => {
    const ours = await execa('node', [join(packageRoot, 'bin', 'tsportable.js'), 'build', '-I', searchPath[0], '--no-out-link', file],
      { cwd: dir, env: { ...nixEnv, TSPORTABLE_CACHE_DIR: join(dir, 'cache') } });
    const ourDir = ours.stdout.trim().split('\n').pop()!;
    const theirs = await execa('nix-build', ['-I', searchPath[0], '--no-out-link', file], { cwd: dir, env: nixEnv });
    const theirDir = theirs.stdout.trim().split('\n').pop()!;
    const image = (d: string) => join(d, readdirSync(d).find((n) => n.endsWith('.raw'))!);
    const [mine, nix] = [await imageStorePaths(image(ourDir)), await imageStorePaths(image(theirDir))];
    const hello = (await nixString(withPkgs('pkgs.hello'), searchPath)).slice('/nix/store/'.length);
    expect(mine).toContain(hello);
    expect(mine.some((p) => p.endsWith('-greeter'))).toBe(false);
    // The same store paths but the scaffold's own (its contents differ by builder; nix-build's holds itself).
    const scaffoldless = (l: string[]) => l.filter((p) => !p.endsWith('-root-fs-scaffold-1'));
    expect(scaffoldless(mine)).toEqual(scaffoldless(nix));
    expect(mine.filter((p) => p.includes('ctximg-ifd.service') || p.includes('ctximg-drop.service')))
      .toEqual(nix.filter((p) => p.includes('ctximg-ifd.service') || p.includes('ctximg-drop.service')));
  });
});
