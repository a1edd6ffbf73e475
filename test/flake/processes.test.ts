/**
 * How many Nix processes a flake costs (every Nix program in PATH is a shim
 * that logs the call): the first `show` of a new flake copies what is not in
 * the store yet in one process; the second `show` of the unchanged flake
 * finds everything in the store by the paths it computes, and runs none.
 */
import { tsportable } from '../e2e/cli.js';
import { makeShims, nixPrograms } from '../e2e/shims.js';
import { standIn, useTempDir, writeTree } from './harness.js';

const tmp = useTempDir('flake-processes');

test('one Nix process for a new flake, none for the unchanged flake\'s second show', async () => {
  const nonce = `${process.pid}-${Date.now()}`;
  const dir = writeTree(tmp.dir('flake'), {
    'flake.nix': `{
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs }: {
        packages.x86_64-linux.default = let pkgs = nixpkgs.legacyPackages.x86_64-linux; in pkgs.portableService {
          pname = "counted";
          version = self.lastModifiedDate;
          units = [ (pkgs.writeText "counted.service" "[Service]\\nExecStart=\${pkgs.hello}/bin/hello ${nonce}\\n") ];
        };
      };
    }`,
  });
  const shims = await makeShims(tmp.dir('shims'), nixPrograms, 'pass-through');
  const show = () => tsportable(['show', '.#default', '--override-input', 'nixpkgs', `path:${standIn}`],
    { cwd: dir, cacheDir: tmp.dir('cache'), env: { PATH: shims.path } });

  const first = await show();
  expect(first.exitCode).toBe(0);
  expect(first.stdout).toMatch(/^Image counted_\d{14}\.raw\n/);
  const firstCalls = await shims.calls();
  // The new flake's source (the nonce makes it new) is copied; nix/pkgs too if it was not there yet.
  expect(firstCalls).toHaveLength(1);
  expect(firstCalls[0]!.slice(0, 2)).toEqual(['nix-instantiate', '--eval']);

  const second = await show();
  expect(second.stdout).toBe(first.stdout);
  expect((await shims.calls()).length).toBe(firstCalls.length);
});
