/**
 * Questions about a package's data (`lib.getExe`, `lib.getBin`, `lib.getName`,
 * `p ? x`, `p.x or d`, `p.meta.mainProgram`) cost one nix-instantiate per
 * package, not one per question: the first fetches a summary of the package,
 * its meta and its outputs. The answers are Nix's: the same strings real
 * Nix computes for the same expression.
 */
import { execa } from 'execa';
import { NixError } from '../../src/eval/errors.js';
import { NixList, NixString, type Value } from '../../src/eval/value/index.js';
import { nixMessage } from '../../src/bridge/resolve.js';
import { fixtures, nixEnv, session, snippetFile, testNixpkgs, type Session } from './harness.js';

const searchPath = [`nixpkgs=${testNixpkgs}`];

/** Every question lib's functions and the operators ask of one package, as strings (`toString`). */
const questions = (p: string) => `let pkgs = import <nixpkgs> { }; lib = pkgs.lib; p = ${p}; in map toString [
  (lib.getExe p) (lib.getBin p) (lib.getDev p) (lib.getName p) (lib.getVersion p)
  (p ? meta) (p ? nope) (p ? meta.mainProgram) (p.meta.mainProgram or "none") (p.meta.description or "none")
  (p.pname or "no pname") (p.nope.deeper or "missing") (p.outputName or "no outputName")
  (builtins.elem "dev" (p.outputs or [ ])) (p.meta.outputsToInstall or [ ])
]`;

function strings(s: Session, text: string): Array<string | NixString> {
  const list = s.evaluator.forceDeep(s.eval(text)) as Value;
  return (list as NixList).items.map((x) => s.evaluator.force(x) as string | NixString);
}

/** What real Nix gives for the same expression (derivation outputs as their paths, not built). */
async function nixStrings(text: string): Promise<string[]> {
  const r = await execa('nix-instantiate', ['--eval', '--strict', '--json', '--read-write-mode',
    ...searchPath.flatMap((p) => ['-I', p]), '-E', text], { cwd: fixtures, env: nixEnv });
  return JSON.parse(r.stdout) as string[];
}

describe('one evaluation per package for its data', () => {
  const packages = ['pkgs.hello', 'pkgs.bash', 'pkgs.multiOutputDemo', 'pkgs.libdemo', 'pkgs.greeter', 'pkgs.multiOutputDemo.dev'];
  for (const p of packages) {
    test(`${p}: getExe, getBin, getDev, getName, getVersion, ?, or, meta: one nix-instantiate, Nix's answers`, async () => {
      const s = session(searchPath);
      s.bridge.install();
      const ours = strings(s, questions(p));
      expect(s.bridge.runner.counts).toEqual({ 'nix-instantiate': 1, 'nix-store': 0 });
      const resolved = await s.bridge.resolveStrings(ours);
      expect(resolved).toEqual(await nixStrings(questions(p)));
    });
  }

  test('several packages: one evaluation each, however many questions', () => {
    const s = session(searchPath);
    s.bridge.install();
    const names = ['hello', 'bash', 'coreutils', 'multiOutputDemo', 'libdemo'];
    const text = `let pkgs = import <nixpkgs> { }; lib = pkgs.lib; in lib.concatMap (n: let p = pkgs.\${n}; in
      [ (lib.getExe p) (lib.getName p) (p.meta.description or "") (toString (p ? out)) "\${lib.getBin p}" ]) ${JSON.stringify(names).replace(/,/g, ' ')}`;
    const ours = strings(s, text);
    expect(ours).toHaveLength(5 * names.length);
    expect(s.bridge.runner.counts['nix-instantiate']).toBe(names.length);
  });

  test('packages selected before the first question are summarized in the same process', () => {
    const s = session(searchPath);
    s.bridge.install();
    // The fold selects the three packages (no Nix); the first question then fetches all three summaries.
    const ours = strings(s, `let pkgs = import <nixpkgs> { }; lib = pkgs.lib; ps = [ pkgs.hello pkgs.bash pkgs.libdemo ]; in
      builtins.seq (builtins.foldl' (a: p: builtins.seq p a) null ps) (map (p: toString (lib.getName p)) ps)`);
    expect(ours).toEqual(['hello', 'bash', 'libdemo']);
    expect(s.bridge.runner.counts['nix-instantiate']).toBe(1);
  });

  test('`with pkgs;`: the package set\'s names and the package named come in one process', async () => {
    const s = session(searchPath);
    s.bridge.install();
    const text = `with import <nixpkgs> { }; map toString [ (lib.getExe hello) (lib.getName hello) hello.meta.description (hello ? out) ]`;
    const ours = strings(s, text);
    expect(s.bridge.runner.counts['nix-instantiate']).toBe(1);
    expect(await s.bridge.resolveStrings(ours)).toEqual(await nixStrings(text));
  });

  test('a package whose summary Nix cannot finish (abort in its meta) still gets Nix\'s exact answers', async () => {
    const s = session(searchPath);
    s.bridge.install();
    // `abort` is not caught by tryEval: the summary batch fails, and each question is asked alone.
    const text = `let pkgs = import <nixpkgs> { overlays = [ (final: prev: {
        odd = prev.hello // { meta = prev.hello.meta // { broken = abort "not this"; }; };
      }) ]; }; lib = pkgs.lib; in map toString [ (lib.getName pkgs.odd) (pkgs.odd ? meta) (pkgs.odd.meta.mainProgram or "none") (lib.getExe pkgs.odd) ]`;
    const ours = strings(s, text);
    expect(ours.slice(0, 3)).toEqual(['hello', '1', 'hello']);
    expect(await s.bridge.resolveStrings(ours)).toEqual(await nixStrings(text));
  });

  test('a question the summary cannot answer is asked alone: Nix\'s own error, at the user\'s expression', () => {
    const s = session(searchPath);
    s.bridge.install();
    let err: unknown;
    try {
      strings(s, `let pkgs = import <nixpkgs> { }; in [ (toString pkgs.hello.meta.nope) ]`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NixError);
    expect((err as NixError).message).toMatch(/attribute 'nope' missing/);
    expect((err as NixError).span?.source.path).toBe(snippetFile);
    // The summary, then the question alone.
    expect(s.bridge.runner.counts['nix-instantiate']).toBe(2);
  });
});

describe('Nix failing without a message', () => {
  test('names the command and its exit code', () => {
    const m = nixMessage({ stdout: '', stderr: '', exitCode: 3 }, 'nix-store', ['--realise', '/nix/store/x.drv!out']);
    expect(m).toBe('nix-store --realise /nix/store/x.drv!out exited with code 3 without a message');
  });

  test('names the signal that killed it', () => {
    const m = nixMessage({ stdout: '', stderr: '', exitCode: 1, signal: 'SIGKILL' }, 'nix-instantiate', ['--eval', 'f.nix']);
    expect(m).toBe('nix-instantiate --eval f.nix was killed by signal SIGKILL without a message');
  });

  test('keeps what Nix said when it is not an error line', () => {
    const m = nixMessage({ stdout: '', stderr: 'Segmentation fault\n', exitCode: 139 }, 'nix-store', ['--query']);
    expect(m).toBe('Segmentation fault\n(nix-store --query exited with code 139)');
  });

  test('Nix\'s own error line is kept as it is', () => {
    const m = nixMessage({ stdout: '', stderr: 'error: attribute \'x\' missing\n\n       at /f.nix:1:1:\n', exitCode: 1 }, 'nix-instantiate', []);
    expect(m).toBe('attribute \'x\' missing');
  });
});
