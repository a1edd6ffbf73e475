/**
 * How many Nix processes a build costs: every Nix program in PATH is a shim
 * that logs the call and runs the real one. A file with one unit and a file
 * with six units, six packages of its own and two symlinked packages must
 * cost the same small number of processes (one evaluation batch, one
 * realisation, one closure query), never one per unit or package. A nonce
 * makes the packages new on each run, so the realisation really builds them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildJson, tsportable, useWorkspace } from './cli.js';
import { makeShims, nixPrograms } from './shims.js';
import { listImage, storePathsIn } from './squashfs.js';

const ws = useWorkspace();

function serviceFile(units: number, symlinks: boolean): string {
  const unit = (i: number) => `    (pkgs.writeText "many-${i}.service" ''
      [Service]
      ExecStart=\${pkgs.writeShellScriptBin "many-prog-${i}-\${nonce}" "echo ${i}"}/bin/many-prog-${i}-\${nonce}
    '')`;
  return `{ pkgs ? import <nixpkgs> { }, nonce }:
pkgs.portableService {
  pname = "many";
  version = "1.0";
  units = [
${Array.from({ length: units }, (_, i) => unit(i)).join('\n')}
  ];
  symlinks = ${symlinks ? `[
    { object = "\${pkgs.bash}/bin/bash"; symlink = "/bin/sh"; }
    { object = "\${pkgs.cacert}/etc/ssl"; symlink = "/etc/ssl"; }
  ]` : '[ ]'};
}
`;
}

async function countedBuild(name: string, text: string): Promise<{ calls: string[][]; storePaths: string[] }> {
  const cwd = await ws.dir(name);
  await writeFile(join(cwd, 'default.nix'), text);
  const shims = await makeShims(await ws.dir(`${name}-shims`), nixPrograms, 'pass-through');
  const nonce = `${process.pid}-${Date.now()}-${name}`;
  const run = await tsportable(['build', '--json', '--argstr', 'nonce', nonce], { cwd, cacheDir: await ws.dir(`${name}-cache`), env: { PATH: shims.path } });
  expect({ exitCode: run.exitCode, stderr: run.exitCode === 0 ? '' : run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return { calls: await shims.calls(), storePaths: storePathsIn(await listImage(buildJson(run.stdout).image)) };
}

test('one unit and six units with eight packages cost the same few Nix processes', async () => {
  const one = await countedBuild('one', serviceFile(1, false));
  const six = await countedBuild('six', serviceFile(6, true));
  // The builds did what they say: 1 and 6 programs (plus bash, cacert) in the images.
  expect(one.storePaths.filter((p) => p.includes('-many-prog-'))).toHaveLength(1);
  expect(six.storePaths.filter((p) => p.includes('-many-prog-'))).toHaveLength(6);
  expect(six.storePaths.some((p) => p.includes('cacert'))).toBe(true);

  const programs = (calls: string[][]) => calls.map((c) => c[0]);
  expect(programs(six.calls)).toEqual(programs(one.calls));
  expect(one.calls.length).toBeGreaterThan(0);
  expect(one.calls.length).toBeLessThanOrEqual(4);
  // One realisation for everything.
  expect(six.calls.filter((c) => c[0] === 'nix-store' && c.includes('--realise'))).toHaveLength(1);
});
