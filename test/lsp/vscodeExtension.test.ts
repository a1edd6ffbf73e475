/**
 * The VS Code extension (editors/vscode). VS Code cannot run here, so the
 * extension is checked as far as can be without it: `vsce package` (3.9, the
 * last to run on Node 20) packages it with its dependencies, the package holds
 * what VS Code loads, the entry point parses, and the preview panel's page,
 * rendered from what the real server answers to `tsportable/preview`, shows
 * the image.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { execa } from 'execa';
import { packageRoot } from '../../src/paths.js';
import type { ShowPlan } from '../../src/show/plan.js';
import { LspClient } from './client.js';

const extensionDir = join(packageRoot, 'editors', 'vscode');
let out = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'tsportable-vsix-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** The files of a zip archive (a .vsix), from its central directory; `read` inflates one. */
function zipEntries(zip: Buffer): { names: string[]; read(name: string): Buffer } {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, { method: number; size: number; local: number }>();
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, { method: zip.readUInt16LE(at + 10), size: zip.readUInt32LE(at + 20), local: zip.readUInt32LE(at + 42) });
    at += 46 + nameLength + extra;
  }
  return {
    names: [...entries.keys()],
    read(name) {
      const e = entries.get(name)!;
      const start = e.local + 30 + zip.readUInt16LE(e.local + 26) + zip.readUInt16LE(e.local + 28);
      const data = zip.subarray(start, start + e.size);
      return e.method === 0 ? data : inflateRawSync(data);
    },
  };
}

test('vsce packages the extension with its language client; its entry point parses', async () => {
  const installed = await stat(join(extensionDir, 'node_modules', 'vscode-languageclient', 'package.json')).catch(() => undefined);
  expect({ installed: installed !== undefined, hint: 'scripts/setup.sh runs npm ci in editors/vscode' }).toEqual({ installed: true, hint: expect.any(String) });
  const vsix = join(out, 'tsportable.vsix');
  const r = await execa(join(packageRoot, 'node_modules', '.bin', 'vsce'), ['package', '--skip-license', '--allow-missing-repository', '--out', vsix], {
    cwd: extensionDir, reject: false, stdin: 'ignore',
  });
  expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: expect.any(String) });
  const zip = zipEntries(await readFile(vsix));
  expect(zip.names).toEqual(expect.arrayContaining([
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/extension.js',
    'extension/preview.js',
    'extension/node_modules/vscode-languageclient/package.json',
    'extension/node_modules/vscode-languageclient/lib/node/main.js',
  ]));
  const manifest = JSON.parse(zip.read('extension/package.json').toString('utf8')) as { main: string; activationEvents: string[]; engines: { vscode: string } };
  expect(manifest.main).toBe('./extension.js');
  expect(manifest.activationEvents).toEqual(['onLanguage:nix']);
  expect(zip.read('extension/extension.js').toString('utf8')).toContain("new LanguageClient('tsportable'");
  await execa(process.execPath, ['--check', join(extensionDir, 'extension.js')]);
});

test('the preview panel shows the image the server previews', async () => {
  const { renderPreview } = createRequire(import.meta.url)(join(extensionDir, 'preview.js')) as { renderPreview(plans: ShowPlan[], title: string): string };
  const client = await LspClient.start();
  try {
    const path = join(packageRoot, 'examples', 'demo', 'default.nix');
    const uri = await client.open(path, await readFile(path, 'utf8'));
    const plans = await client.request<ShowPlan[]>('tsportable/preview', { textDocument: { uri } });
    const html = renderPreview(plans, uri);
    expect(html).toContain('<h2>demo_1.0.raw</h2>');
    expect(html).toContain('<code>/etc/systemd/system/demo.service</code>');
    expect(html).toContain('ExecStart=${pkgs.writeShellScriptBin &quot;demo-greeter&quot; (...)}/bin/demo-greeter');
    expect(html).toContain('PORTABLE_PRETTY_NAME=A demo &quot;Portable Service&quot; for a shell program built with nix');
    expect(renderPreview([], uri)).toContain('No image here');
  } finally {
    await client.stop();
    client.kill();
  }
});
