/**
 * Equal derivations are one derivation: the bridge gives them one handle, so
 * their (placeholder) paths compare equal exactly where Nix's real paths do.
 * nixpkgs' lib relies on it (misc.nix's testOptionalDrvAttr).
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

const expr = `
  let mk = args: derivation (args // { builder = "builder"; system = "system"; __ignoreNulls = true; });
  in [
    ((mk { name = "foo"; x = 1; y = null; }).drvPath == (mk { name = "foo"; x = 1; }).drvPath)
    ((mk { name = "foo"; x = 1; }).drvPath == (mk { name = "foo"; x = 2; }).drvPath)
    ((mk { name = "foo"; x = 1; }).outPath == (mk { name = "foo"; x = 1; }).outPath)
    ((mk { name = "foo"; outputs = [ "out" "dev" ]; }).dev == (mk { name = "foo"; outputs = [ "out" "dev" ]; }).dev)
    ((mk { name = "foo"; }) == (mk { name = "foo"; }))
  ]`;

test('equal derivations have equal paths, different ones different paths, as in Nix', async () => {
  const ours = await execa(process.execPath, [join(packageRoot, 'bin/tsportable.js'), 'eval', '--strict', '--json', '-E', expr]);
  const nix = await execa('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr]);
  expect(JSON.parse(ours.stdout)).toEqual(JSON.parse(nix.stdout));
  expect(JSON.parse(ours.stdout)).toEqual([true, false, true, true, true]);
});
