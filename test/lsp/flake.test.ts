/**
 * `tsportable lsp` on the forms snippets are kept in besides a plain file:
 * a flake.nix (its flake's images, as `tsportable build .#attr` builds them,
 * with the editor's unsaved text as its flake.nix) and a callPackage-style
 * file (the image `pkgs.callPackage` makes of it, with the CLI's notice).
 * The flakes' `nixpkgs` is tsportable's own package set as a local path
 * flake, named in flake.nix or given with the `overrideInputs` setting (as
 * test/flake gives `--override-input`); nothing is fetched.
 */
import { chmod, cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { CodeLens } from 'vscode-languageserver';
import type { ShowPlan } from '../../src/show/plan.js';
import type { ServerStatus } from '../../src/lsp/protocol.js';
import { fixtureFlakes, flakeUtils, offlineEnv, standIn, writeTree } from '../flake/harness.js';
import { markdown, positionOf, useClient, useTempDir, withClient, type LspClient } from './client.js';

const dir = useTempDir();
const server = useClient(dir);

function status(c: LspClient = server.client): Promise<ServerStatus> {
  return c.request<ServerStatus>('tsportable/status', {});
}

/** A unit file's text for `name`. */
const unit = (name: string) => `(pkgs.writeText "${name}.service" "[Service]\\nExecStart=\${pkgs.hello}/bin/hello\\n")`;

/**
 * A flake of three images, its nixpkgs the package set in nix/pkgs: `web`
 * written in flake.nix, `worker` made in worker.nix, `xedn` nested in
 * legacyPackages; `hello` is a package that is not an image.
 */
function threeImages(nonce: string): Record<string, string> {
  return {
    'flake.nix': `{
  description = "three images (${nonce})";
  inputs.nixpkgs.url = "path:${standIn}";
  outputs = { self, nixpkgs }:
    let pkgs = nixpkgs.legacyPackages.x86_64-linux; in
    {
      packages.x86_64-linux = {
        web = pkgs.portableService {
          pname = "web";
          version = "1";
          units = [ ${unit('web')} ];
        };
        worker = import ./worker.nix { inherit pkgs; };
        hello = pkgs.hello;
      };
      legacyPackages.x86_64-linux.portable.xedn = pkgs.portableService {
        pname = "xedn";
        version = "3";
        units = [ ${unit('xedn')} ];
      };
    };
}
`,
    'worker.nix': `{ pkgs }:
pkgs.portableService {
  pname = "worker";
  version = "2";
  units = [ ${unit('worker')} ];
}
`,
  };
}

test('a flake: every image among its outputs for this system, with a lens, a hover, a preview and the installable that builds it', async () => {
  const flake = writeTree(join(dir.path, 'three'), threeImages(`${process.pid}-${Date.now()}`));
  const path = join(flake, 'flake.nix');
  const text = await readFile(path, 'utf8');
  const uri = await server.client.open(path, text);
  expect((await server.client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);

  const plans = await server.client.request<ShowPlan[]>('tsportable/preview', { textDocument: { uri } });
  expect(plans.map((p) => p.imageFileName)).toEqual(['web_1.raw', 'worker_2.raw', 'xedn_3.raw']);
  expect(plans[1]!.units[0]!.text).toBe('[Service]\nExecStart=${pkgs.hello}/bin/hello\n');

  const lenses = await server.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const builds = lenses.filter((l) => l.command?.command === 'tsportable.build');
  expect(builds.map((l) => [l.range.start, l.command!.arguments])).toEqual([
    [positionOf(text, 'pkgs.portableService {'), [uri, 'packages.x86_64-linux.web']],
    // Made in another file: the lens is on the attribute that holds it.
    [positionOf(text, 'import ./worker.nix'), [uri, 'packages.x86_64-linux.worker']],
    [positionOf(text, 'pkgs.portableService {\n        pname = "xedn"'), [uri, 'legacyPackages.x86_64-linux.portable.xedn']],
  ]);
  expect(lenses.filter((l) => l.command?.command === '').map((l) => l.command!.title)).toEqual([
    'web_1.raw · 1 unit · 2 store paths', 'worker_2.raw · 1 unit · 2 store paths', 'xedn_3.raw · 1 unit · 2 store paths',
  ]);

  const web = markdown(await server.client.hover(uri, positionOf(text, 'portableService {', 4)));
  expect(web).toContain('**web_1.raw** (attribute `packages.x86_64-linux.web`)');
  expect(markdown(await server.client.hover(uri, positionOf(text, 'import ./worker.nix', 2)))).toContain('**worker_2.raw**');
  expect(markdown(await server.client.hover(uri, positionOf(text, '"xedn.service"', 3)))).toContain('/etc/systemd/system/xedn.service');

  const there = await server.client.request<ShowPlan | null>('tsportable/preview', { textDocument: { uri }, position: positionOf(text, 'version = "3"') });
  expect(there?.imageFileName).toBe('xedn_3.raw');
  const shown = await server.client.request<{ text: string }>('workspace/executeCommand', { command: 'tsportable.show', arguments: [uri, 'packages.x86_64-linux.worker'] });
  expect(shown.text).toMatch(/^Image worker_2\.raw\n/);
});

test('a flake: the editor\'s unsaved text is what is evaluated, errors are in the document (not in the store), no new Nix process after the first', async () => {
  const flake = writeTree(join(dir.path, 'edited'), threeImages(`edited-${process.pid}-${Date.now()}`));
  const path = join(flake, 'flake.nix');
  const text = await readFile(path, 'utf8');
  const uri = await server.client.open(path, text);
  await server.client.diagnosticsFor(uri, 1);
  const processes = (await status()).nixProcesses;

  // Not saved: the web image's version in the editor only.
  const at = positionOf(text, 'version = "1"', 'version = "'.length);
  await server.client.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '1.5' }]);
  expect((await server.client.diagnosticsFor(uri, 2)).diagnostics).toEqual([]);
  const plans = await server.client.request<ShowPlan[]>('tsportable/preview', { textDocument: { uri } });
  expect(plans.map((p) => p.imageFileName)).toEqual(['web_1.5.raw', 'worker_2.raw', 'xedn_3.raw']);

  // An argument error in flake.nix: at the argument, in the document.
  await server.client.change(uri, 3, [{ range: { start: { line: at.line, character: at.character - 1 }, end: { line: at.line, character: at.character + 4 } }, text: '15' }]);
  const [argument] = (await server.client.diagnosticsFor(uri, 3)).diagnostics;
  expect(argument!.message).toBe("portableService: argument 'version' must be a string, but found an integer");
  expect(argument!.range.start).toEqual({ line: at.line, character: at.character - 'version = "'.length });

  // An error in worker.nix (evaluated from the flake's copy in the store): shown where flake.nix imports it,
  // its place named as the file in the flake's directory.
  await server.client.change(uri, 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } }, text }]);
  await writeFile(join(flake, 'worker.nix'), '{ pkgs }:\npkgs.portableService { pname = "worker"; version = 2; units = [ ]; }\n');
  await server.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${join(flake, 'worker.nix')}`, type: 2 }] });
  const inWorker = await server.client.waitFor(() => server.client.published.get(uri)!.find((p) => p.version === 4 && p.diagnostics.length > 0), 'the error in worker.nix');
  const d = inWorker.diagnostics[0]!;
  expect(d.message).toBe("portableService: argument 'version' must be a string, but found an integer");
  expect(d.range.start).toEqual(positionOf(text, 'import ./worker.nix'));
  expect(d.relatedInformation![0]!.location.uri).toBe(`file://${join(flake, 'worker.nix')}`);
  expect(JSON.stringify(d)).not.toContain('/nix/store/');
  // The changed file made the flake's source new: one process copied it; edits of flake.nix start none.
  expect((await status()).nixProcesses).toBe(processes + 1);
});

test('a flake from test/fixtures, its inputs given by `lsp --override-input` and the overrideInputs setting; Build image builds .#attr', async () => {
  const flake = join(dir.path, 'each-default-system');
  await cp(join(fixtureFlakes, 'each-default-system'), flake, { recursive: true });
  await withClient({
    cwd: dir.path,
    env: { TSPORTABLE_CACHE_DIR: join(dir.path, 'cache') },
    args: ['--override-input', 'nixpkgs', `path:${standIn}`],
    initializationOptions: { debounceMs: 5, overrideInputs: { 'flake-utils': `path:${flakeUtils}` } },
  }, async (other) => {
    const path = join(flake, 'flake.nix');
    const text = await readFile(path, 'utf8');
    const uri = await other.open(path, text);
    expect((await other.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
    const lenses = await other.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    expect(lenses.map((l) => l.command?.title)).toEqual(['echo-at_0.1.raw · 2 units · 3 store paths', 'Show image', 'Build image']);
    expect(lenses[2]!.command!.arguments).toEqual([uri, 'defaultPackage.x86_64-linux']);

    // `defaultPackage.<system>` is what `.#` names: built as `tsportable build .# --override-input ...` in the flake's directory.
    const outcomes = await other.request<Array<{ attrPath: string; image: string; outLink: string }>>(
      'workspace/executeCommand', { command: 'tsportable.build', arguments: lenses[2]!.command!.arguments, workDoneToken: 'flake-build' });
    expect(outcomes.map((o) => [o.attrPath, o.outLink])).toEqual([['defaultPackage.x86_64-linux', join(flake, 'result')]]);
    expect(outcomes[0]!.image).toMatch(/\/echo-at_0\.1\.raw$/);
    expect(other.logs).toContain('progress begin Building echo-at_0.1.raw');
  });
});

test('a flake whose inputs cannot be had: the problem where the input is declared, with the way out', async () => {
  // Not locked, and only `nix flake lock` could lock it: no Nix process at all.
  const unlocked = writeTree(join(dir.path, 'unlocked'), {
    'flake.nix': '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";\n  outputs = { self, nixpkgs }: { };\n}\n',
  });
  const uri = await server.client.open(join(unlocked, 'flake.nix'), await readFile(join(unlocked, 'flake.nix'), 'utf8'));
  const [d] = (await server.client.diagnosticsFor(uri, 1)).diagnostics;
  expect(d!.message).toMatch(/^the flake input 'nixpkgs' \(github:NixOS\/nixpkgs\/nixos-24.05\) is not in a lock file/);
  expect(d!.message).toContain("run 'nix flake lock' in");
  expect(d!.message).toContain("in the editor: the language server's setting overrideInputs");
  expect(d!.range.start).toEqual({ line: 1, character: 2 });

  // Locked, not in the store, and there is no network: Nix's one attempt fails, one diagnostic says how to use a copy.
  const missing = writeTree(join(dir.path, 'missing'), {
    'flake.nix': '{\n  description = "missing";\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-23.11";\n  outputs = { self, nixpkgs }: { };\n}\n',
    'flake.lock': JSON.stringify({
      version: 7, root: 'root', nodes: {
        root: { inputs: { nixpkgs: 'nixpkgs' } },
        nixpkgs: {
          locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: '205fd4226592cc83fd4c0885a3e4c9c400efabb5', narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', lastModified: 1720535198 },
          original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-23.11' },
        },
      },
    }),
  });
  await withClient({ cwd: dir.path, env: offlineEnv, initializationOptions: { debounceMs: 5 } }, async (offline) => {
    const uri2 = await offline.open(join(missing, 'flake.nix'), await readFile(join(missing, 'flake.nix'), 'utf8'));
    const published = (await offline.diagnosticsFor(uri2, 1, 120_000)).diagnostics;
    expect(published).toHaveLength(1);
    expect(published[0]!.message).toMatch(/^the flake input 'nixpkgs' \(github:NixOS\/nixpkgs\/205fd4226592cc83fd4c0885a3e4c9c400efabb5\) is not in the Nix store and fetching it failed \(.+\); to use a local copy instead, add '--override-input nixpkgs \/path\/to\/nixpkgs'/);
    expect(published[0]!.range.start).toEqual({ line: 2, character: 2 });
    expect((await status(offline)).nixProcesses).toBe(1);
  });
});

test('a Nix process that is slow to lock a flake holds up no other document; the flake is analysed once it is done', async () => {
  // nix-instantiate answers after two seconds: the flake's new source must be copied to the store by it.
  const shims = join(dir.path, 'slow-nix');
  await writeTree(shims, { 'nix-instantiate': `#!/bin/sh\nsleep 2\nexec '${(await execa('sh', ['-c', 'command -v nix-instantiate'])).stdout.trim()}' "$@"\n` });
  await chmod(join(shims, 'nix-instantiate'), 0o755);
  await withClient({ cwd: dir.path, env: { PATH: `${shims}:${process.env.PATH}` }, initializationOptions: { debounceMs: 5 } }, async (slow) => {
    const flake = writeTree(join(dir.path, 'slow'), threeImages(`slow-${process.pid}-${Date.now()}`));
    const flakeUri = await slow.open(join(flake, 'flake.nix'), await readFile(join(flake, 'flake.nix'), 'utf8'));
    const plainUri = await slow.open(join(flake, 'plain.nix'), 'let a = 1; in a + b\n');
    const plain = await slow.diagnosticsFor(plainUri, 1);
    expect(plain.diagnostics.map((x) => x.message)).toEqual(["undefined variable 'b'"]);
    const flakeDiagnostics = await slow.diagnosticsFor(flakeUri, 1);
    expect(plain.at).toBeLessThan(flakeDiagnostics.at);
    expect(flakeDiagnostics.diagnostics).toEqual([]);
    expect((await slow.request<ShowPlan[]>('tsportable/preview', { textDocument: { uri: flakeUri } })).length).toBe(3);
    expect(await status(slow)).toEqual(expect.objectContaining({ nixProcesses: 1, waitedForNix: 1 }));
    expect(slow.logs.some((l) => l.startsWith('progress begin tsportable waiting for Nix to analyse flake.nix'))).toBe(true);
  });
});

test('a callPackage-style file: the image pkgs.callPackage makes of it, and the notice on its arguments', async () => {
  const text = [
    '{ portableService, writeText, hello }:',
    'portableService {',
    '  pname = "called";',
    '  version = "1";',
    '  units = [ (writeText "called.service" "[Service]\\nExecStart=${hello}/bin/hello\\n") ];',
    '}',
    '',
  ].join('\n');
  const uri = await server.client.open(join(dir.path, 'called.nix'), text);
  const [notice] = (await server.client.diagnosticsFor(uri, 1)).diagnostics;
  expect(notice).toEqual(expect.objectContaining({
    severity: 3,
    code: 'notice',
    range: { start: { line: 0, character: 2 }, end: { line: 0, character: 35 } },
  }));
  expect(notice!.message).toBe(`${join(dir.path, 'called.nix')} is a callPackage-style function ({ hello, portableService, writeText }); calling it as pkgs.callPackage with --arg/--argstr as overrides (nix-build would stop here)`);
  const plans = await server.client.request<ShowPlan[]>('tsportable/preview', { textDocument: { uri } });
  expect(plans.map((p) => [p.imageFileName, p.units[0]!.text])).toEqual([['called_1.raw', '[Service]\nExecStart=${pkgs.hello}/bin/hello\n']]);
  const lenses = await server.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  expect(lenses[0]!.command!.title).toBe('called_1.raw · 1 unit · 2 store paths');
  expect(markdown(await server.client.hover(uri, positionOf(text, 'portableService {', 3)))).toContain('**called_1.raw**');

  // A function whose arguments are not packages is left alone, as before: nothing to preview, nothing wrong.
  const other = await server.client.open(join(dir.path, 'module.nix'), '{ notAPackage }: notAPackage + 1\n');
  expect((await server.client.diagnosticsFor(other, 1)).diagnostics).toEqual([]);
});
