/**
 * The trivial builders' previews against real builds: the same Nix source is
 * evaluated natively (the plugins' previews) and built by nix-build with the
 * package set in nix/ (nixpkgs' layout), and every known text must equal the
 * built file byte for byte, every name the derivation's name. The shell that
 * writeShellScript puts in its first line is the one real Nix gives
 * `pkgs.runtimeShell`.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { runtimeShellPreview } from '../../src/builders/trivial/textFile.js';
import { evalWithPkgs, testPreviewEnv, type TestForeign } from './harness.js';
import { NixList } from '../../src/eval/value/index.js';
import { force } from '../../src/eval/value/force.js';

const pkgsDir = join(process.cwd(), 'nix', 'pkgs');
const dir = mkdtempSync(join(tmpdir(), 'h8-nix-'));
writeFileSync(join(dir, 'a.txt'), 'first line\n');
writeFileSync(join(dir, 'b.txt'), 'second\nno newline at the end');
writeFileSync(join(dir, 'tmpl.service'), '[Service]\nExecStart=@bin@/bin/run --greeting @greeting@\nUser=@user@\n');
writeFileSync(join(dir, 'sa.conf'), 'greeting=@greeting@\nflag=@flag@ off=@off@ name=@name@\nlist=@list@\n');

// The same expressions for both sides; only the package set differs.
const exprs = [
  'pkgs.writeText "demo.service" "[Unit]\\nDescription=demo ${"with interpolation"}\\n"',
  'pkgs.writeTextFile { name = "conf"; text = "a=1\\n"; destination = "/etc/conf"; executable = true; }',
  'pkgs.writeTextDir "share/doc/readme.txt" "read me"',
  'pkgs.writeScript "script" "#!/bin/sh\\necho script\\n"',
  'pkgs.writeScriptBin "script-bin" "#!/bin/sh\\necho bin"',
  "pkgs.writeShellScript \"shell\" ''\n  echo \"$1\"\n  exit 0\n''",
  'pkgs.writeShellScriptBin "shell-bin" "echo hi"',
  'pkgs.concatText "joined.txt" [ ./a.txt ./b.txt (pkgs.writeText "c" "third\\n") ]',
  'pkgs.concatTextFile { name = "joined-dest"; files = [ ./b.txt ./a.txt ]; destination = "/share/j"; }',
  'pkgs.replaceVars ./tmpl.service { bin = "/opt/demo"; greeting = "hello world"; user = null; }',
  'pkgs.substituteAll { src = ./sa.conf; greeting = "hi"; flag = true; off = false; list = [ "x" "y" ]; }',
  'pkgs.substituteAll { src = ./sa.conf; name = "renamed"; dir = "bin"; isExecutable = true; greeting = "g"; flag = 1; off = null; list = "l"; }',
];
const body = `[\n${exprs.map((e) => `  (${e})`).join('\n')}\n]`;
writeFileSync(join(dir, 'exprs.nix'), `pkgs: ${body}\n`);

test('previews equal what nix-build makes with the package set in nix/', async () => {
  const built = await execa('nix-build', ['--no-out-link', '-E', `(import ${dir}/exprs.nix) (import ${pkgsDir} { })`]);
  const outs = built.stdout.trim().split('\n');
  expect(outs).toHaveLength(exprs.length);
  const shell = JSON.parse((await execa('nix-instantiate', ['--eval', '--json', '-E', `(import ${pkgsDir} { }).runtimeShell`])).stdout) as string;

  const list = evalWithPkgs(body, dir) as NixList;
  list.items.forEach((item, i) => {
    const v = force(item) as TestForeign;
    const p = v.builder!.plugin.preview(v.builder!.spec, testPreviewEnv);
    const out = outs[i];
    expect([i, out.slice('/nix/store/'.length + 33)]).toEqual([i, p.name]);
    const file = out + (p.destination ?? '');
    expect([i, readFileSync(file, 'utf8')]).toEqual([i, p.text!.split(runtimeShellPreview).join(shell)]);
    const executable = (statSync(file).mode & 0o111) !== 0;
    expect([i, executable]).toEqual([i, p.executable ?? false]);
    expect([i, statSync(out).isDirectory()]).toEqual([i, p.output === 'directory']);
  });
});
