/**
 * The language-test runner (test/lang/eval-runner.ts) on a miniature copy of
 * Nix's tests/functional/lang layout: it must count identical outputs, match
 * final error lines, apply .flags, replace the checkout path by /pwd, and
 * group failures by cause.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'lang', 'eval-runner.js');

test('counts passes and groups failures by cause', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-runner-'));
  const lang = path.join(root, 'lang');
  fs.mkdirSync(lang);
  const write = (name: string, text: string) => fs.writeFileSync(path.join(lang, name), text);
  write('eval-okay-good.nix', 'builtins.map (x: x + 1) [ 1 2 ]');
  write('eval-okay-good.exp', '[ 2 3 ]\n');
  write('eval-okay-wrong.nix', '1');
  write('eval-okay-wrong.exp', '2\n');
  write('eval-okay-pwd.nix', 'toString ./.');
  write('eval-okay-pwd.exp', '"/pwd/lang"\n');
  write('eval-okay-flags.nix', '{ x }: x');
  write('eval-okay-flags.flags', '--argstr x hello');
  write('eval-okay-flags.exp', '"hello"\n');
  write('eval-fail-good.nix', 'builtins.head [ ]');
  write('eval-fail-good.err.exp', "error:\n       … while calling the 'head' builtin\n\n       error: 'builtins.head' called on an empty list\n");
  write('eval-fail-other.nix', 'throw "a"');
  write('eval-fail-other.err.exp', 'error: b\n');
  write('eval-fail-none.nix', '1');
  write('eval-fail-none.err.exp', 'error: x\n');
  try {
    const { stdout } = await execa('node', [runner, lang]);
    expect(stdout).toContain('eval-okay: 3/4 identical output');
    expect(stdout).toContain('1 × wrong output');
    expect(stdout).toContain('eval-fail: 1/3 same final error line');
    expect(stdout).toContain('1 × no error');
    expect(stdout).toContain('1 × wrong error: b');
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});
