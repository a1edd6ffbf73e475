/**
 * `build` checks the image it built as `inspect` does, together with `show`'s
 * checks, and prints what they find on stderr as warnings; the build still
 * succeeds (exit 0), `--json` carries the warnings, and a rebuild served from
 * the cache uses the findings remembered beside the cached image.
 */
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();

const file = `{ pkgs ? import <nixpkgs> { } }:
let
  # A script for an interpreter the image does not hold.
  py = pkgs.writeScript "report" ''
    #!/usr/bin/python3
    print("hi")
  '';
in
pkgs.portableService {
  pname = "checks";
  version = "1";
  units = [
    (pkgs.writeText "checks.service" ''
      [Service]
      ExecStart=\${py}
      ExecStartPost=/usr/bin/python3 -c pass
    '')
  ];
}
`;

interface Warning { severity: string; code: string; message: string; from: string; unit?: string; line?: number; path?: string; span?: unknown }

let dir: string;
let cacheDir: string;
beforeAll(async () => {
  dir = await ws.dir('checks');
  cacheDir = await ws.dir('cache');
  await writeFile(join(dir, 'default.nix'), file);
});

test('warnings on stderr, exit 0; --json carries them; a cached rebuild reuses the remembered findings', async () => {
  const run = await tsportable(['build', '--json'], { cwd: dir, cacheDir });
  expect(run.exitCode).toBe(0);
  const built = JSON.parse(run.stdout) as { image: string; resultDir: string; cached: boolean; warnings: Warning[] };
  expect(built.cached).toBe(false);
  expect(built.warnings.map((w) => [w.from, w.severity, w.code, w.unit, w.line])).toEqual([
    ['image', 'warning', 'exec-missing', 'checks.service', 3],
    ['image', 'warning', 'script-interpreter-missing', undefined, undefined],
  ]);
  const script = built.warnings[1]!.path!;
  expect(built.warnings[1]!.message).toBe(`${script} is a script for /usr/bin/python3, which is not in the image: /usr is missing (run by ExecStart= of checks.service)`);
  // The plan's own warning about line 3 (a program outside the store) is the same problem: said once.
  const lines = run.stderr.split('\n').filter((l) => /^(warning|error|info):/.test(l));
  expect(lines).toEqual([
    "warning: /etc/systemd/system/checks.service:3: ExecStartPost= program '/usr/bin/python3' does not exist in the image (/usr is missing) [exec-missing]",
    `warning: ${script} is a script for /usr/bin/python3, which is not in the image: /usr is missing (run by ExecStart= of checks.service) [script-interpreter-missing]`,
  ]);

  // Remembered beside the cached image (the result directory holds only the image, as nix-build's):
  // a rebuild reads what was remembered, not the image.
  expect(readdirSync(built.resultDir)).toEqual(['checks_1.raw']);
  const remembered = `${built.resultDir}.findings.json`;
  const text = await readFile(remembered, 'utf8');
  await writeFile(remembered, text.replace('is a script for', 'IS A SCRIPT FOR'));
  const again = await tsportable(['build', '--no-out-link'], { cwd: dir, cacheDir });
  expect(again.exitCode).toBe(0);
  expect(again.stderr).toContain(`warning: ${script} IS A SCRIPT FOR /usr/bin/python3`);
});

test('a plan warning the image does not contradict is printed at its place in the Nix file', async () => {
  const d = await ws.dir('underscore');
  await writeFile(join(d, 'default.nix'), `{ pkgs ? import <nixpkgs> { } }:
pkgs.portableService {
  pname = "my_app";
  version = "1";
  units = [ (pkgs.writeText "my_app.service" "[Service]\\nExecStart=\${pkgs.hello}/bin/hello\\n") ];
}
`);
  const run = await tsportable(['build', '--no-out-link'], { cwd: d, cacheDir });
  expect(run.exitCode).toBe(0);
  const lines = run.stderr.split('\n').filter((l) => /^(warning|error|info):/.test(l));
  expect(lines[0]).toBe(`warning: ${join(d, 'default.nix')}:3:3: pname 'my_app' contains '_': portablectl cuts the image name 'my_app_<version>.raw' at the first '_', so its prefix is 'my' and units named 'my_app...' never match [pname-underscore]`);
  expect(lines.slice(1).map((l) => l.slice(l.lastIndexOf('['))).sort()).toEqual(['[no-matching-unit]', '[unit-prefix]']);
});
