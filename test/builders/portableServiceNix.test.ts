/**
 * portableService end to end with the real parts: the evaluator, the nixpkgs
 * bridge with the package set in nix/, real Nix for realisation, and the image
 * builder with mksquashfs. The builder plugin's spec and plan come from the
 * Nix file; its realisation must give unit files whose texts are the plan's
 * texts with the real store paths, in one small constant number of Nix
 * processes, and an image holding them.
 */
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createBridge, type Bridge } from '../../src/bridge/index.js';
import { planPortableService, portableServiceSpecOf, realisePortableService, type PortableServiceSpec } from '../../src/builders/index.js';
import { createEvaluator, type Evaluator } from '../../src/eval/index.js';
import { NixError } from '../../src/eval/errors.js';
import { buildImage } from '../../src/image/index.js';

const fixtures = join(process.cwd(), 'test', 'builders', 'fixtures');

function open(file: string): { spec: PortableServiceSpec; bridge: Bridge } {
  let ev: Evaluator | undefined;
  const bridge = createBridge({ searchPath: [], importNative: (p) => ev!.evalFile(p), notice: () => {}, progress: false });
  bridge.install();
  ev = createEvaluator({ searchPath: bridge.searchPath });
  const v = ev.force(ev.autoCall(ev.evalFile(file), new Map()));
  const spec = portableServiceSpecOf(v);
  if (!spec) throw new Error(`${file} is not a portableService`);
  return { spec, bridge };
}

const nixProcesses = (b: Bridge) => b.runner.counts['nix-instantiate'] + b.runner.counts['nix-store'];

/** unsquashfs -cat of one file of an image. */
async function cat(image: string, path: string): Promise<string> {
  return (await execa('unsquashfs', ['-cat', image, path])).stdout;
}

test('the demo: realised unit files are the planned texts with real store paths, and land in the image', async () => {
  const { spec, bridge } = open(join(fixtures, 'demo', 'default.nix'));
  const plan = planPortableService(spec, bridge);
  expect(nixProcesses(bridge)).toBe(0);
  const service = plan.units.find((u) => u.name === 'demo.service')!;
  // Where the unit is made (`demo-service = pkgs.writeText ...`), not the `units` line.
  expect(service.span).toMatchObject({ file: join(fixtures, 'demo', 'default.nix'), line: 11 });
  expect(service.text).toMatch(/^ExecStart=\$\{pkgs\.writeShellScriptBin .*\}\/bin\/demo-greeter$/m);

  const input = await realisePortableService(spec, bridge);
  expect(nixProcesses(bridge)).toBeLessThanOrEqual(3);
  expect(input.units.map((u) => u.name)).toEqual(['demo.service', 'demo.socket']);
  expect(input.mksquashfs).toBe('mksquashfs');
  const serviceText = readFileSync(input.units[0].file, 'utf8');
  const greeter = /^ExecStart=(\/nix\/store\/[0-9a-z]{32}-demo-greeter)\/bin\/demo-greeter$/m.exec(serviceText)?.[1];
  expect(greeter).toBeDefined();
  // The plan's text, with the one foreign value replaced by its real path.
  expect(serviceText).toBe(service.text!.replace(/\$\{pkgs\.writeShellScriptBin [^\n]*\}(?=\/bin\/demo-greeter)/, greeter!));
  expect(readFileSync(input.units[1].file, 'utf8')).toBe(readFileSync(join(fixtures, 'demo', 'demo.socket'), 'utf8'));
  expect(readFileSync(`${greeter}/bin/demo-greeter`, 'utf8')).toMatch(/^#!\/nix\/store\/[0-9a-z]{32}-bash[^/]*\/bin\/bash\n/);

  const result = await buildImage(input, { outLink: null, cacheDir: mkdtempSync(join(tmpdir(), 'h8-cache-')), handleSignals: false });
  expect(result.imagePath.endsWith('/demo_1.0.raw')).toBe(true);
  expect(await cat(result.imagePath, 'etc/systemd/system/demo.service')).toBe(serviceText.replace(/\n$/, ''));
  expect(await cat(result.imagePath, 'etc/os-release')).toBe(plan.osRelease.replace(/\n$/, ''));
  expect(result.closure).toContain(greeter);
});

test('every argument kind: replaceVars unit, a hand-made unit set, symlinks, contents, squashfsTools', async () => {
  const { spec, bridge } = open(join(fixtures, 'full', 'default.nix'));
  const plan = planPortableService(spec, bridge);
  expect(plan.units.map((u) => [u.name, u.source])).toEqual([
    ['full.service', 'pkgs.replaceVars'],
    ['full-extra.service', 'pkgs.writeText'],
    // callPackage is native: the file's writeText is the builder plugin, so its text is known too.
    ['full-called.service', 'pkgs.writeText'],
  ]);
  expect(plan.units[0].text).toMatch(/^ExecStart=\$\{pkgs\.hello\}\/bin\/hello$/m);
  expect(plan.symlinks.map((l) => l.symlink)).toEqual(['/etc/ssl/certs/ca-certificates.crt', '/bin/sh', '/etc/full.service.template']);
  expect(plan.symlinks[2].object).toBe(`\${${join(fixtures, 'full', 'full.service')}}`);
  expect(plan.mksquashfs.options).toEqual(['-noappend', '-exit-on-error', '-keep-as-directory', '-all-root', '-root-mode', '755', '-b', '128K', '-comp', 'gzip']);

  const input = await realisePortableService(spec, bridge);
  expect(nixProcesses(bridge)).toBeLessThanOrEqual(3);
  const hello = realpathSync(input.contents[0]);
  expect(hello).toMatch(/^\/nix\/store\/[0-9a-z]{32}-hello-1\.0$/);
  expect(readFileSync(input.units[0].file, 'utf8')).toBe(`[Unit]\nDescription=Says hello\n\n[Service]\nExecStart=${hello}/bin/hello\n`);
  expect(readFileSync(input.units[1].file, 'utf8')).toMatch(/^\[Service\]\nExecStart=\/nix\/store\/[0-9a-z]{32}-bash[^/]*\/bin\/bash -c true\n$/);
  expect(input.units[2].name).toBe('full-called.service');
  expect(readFileSync(input.units[2].file, 'utf8')).toBe(`[Service]\nExecStart=${hello}/bin/hello\n`);
  expect(input.symlinks[0].object).toMatch(/^\/nix\/store\/[0-9a-z]{32}-nss-cacert[^/]*\/etc\/ssl\/certs\/ca-bundle\.crt$/);
  // A local path is added to the store as "${./full.service}" adds it.
  expect(input.symlinks[2].object).toMatch(/^\/nix\/store\/[0-9a-z]{32}-full\.service$/);
  expect(readFileSync(input.symlinks[2].object, 'utf8')).toBe(readFileSync(join(fixtures, 'full', 'full.service'), 'utf8'));
  expect(input.mksquashfs).toMatch(/^\/nix\/store\/[0-9a-z]{32}-squashfs-[^/]*\/bin\/mksquashfs$/);
  expect(input.osRelease).toBe('BUILD_ID=rolling\nHOME_URL=https://example.org/full\nID=nixos\nPORTABLE_ID=full\nPRETTY_NAME=NixOS\n');

  const result = await buildImage(input, { outLink: null, cacheDir: mkdtempSync(join(tmpdir(), 'h8-cache-')), handleSignals: false });
  const listing = (await execa('unsquashfs', ['-lls', result.imagePath])).stdout;
  const links = Object.fromEntries([...listing.matchAll(/^l\S+ \S+ +\d+ \S+ \S+ squashfs-root(\S+) -> (\S+)$/gm)].map((m) => [m[1], m[2]]));
  expect(links['/bin/sh']).toBe(input.symlinks[1].object);
  expect(links['/etc/ssl/certs/ca-certificates.crt']).toBe(input.symlinks[0].object);
  expect(links['/etc/full.service.template']).toBe(input.symlinks[2].object);
  expect(listing).toMatch(/^-\S+ root\/root .* squashfs-root\/etc\/systemd\/system\/full-called\.service$/m);
  expect(result.closure).toContain(hello);
});

test('a unit name error points at the builder call that made the unit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'h8-prefix-'));
  const file = join(dir, 'default.nix');
  writeFileSync(file, '{ pkgs ? import <nixpkgs> { } }:\nlet\n  unit =\n    pkgs.writeText "other.service" "";\nin pkgs.portableService { pname = "svc"; version = "1"; units = [ unit ]; }\n');
  let error: unknown;
  try {
    open(file);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NixError);
  const e = error as NixError;
  expect(e.message).toBe('Unit names must be prefixed with the service name');
  expect([e.span?.source.path, e.span?.line, e.span?.column]).toEqual([file, 4, 5]);
});
