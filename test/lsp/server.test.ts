/**
 * `tsportable lsp` end to end: the real server over stdio, driven by
 * vscode-jsonrpc's client side, on copies of the examples (so relative paths
 * such as ./demo.socket resolve). One server for the file; each test opens
 * its own documents.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { CodeLens, DocumentSymbol, MarkupContent } from 'vscode-languageserver';
import { packageRoot } from '../../src/paths.js';
import type { ShowPlan } from '../../src/show/plan.js';
import { markdown, positionOf, useClient, useTempDir, withClient } from './client.js';

const dir = useTempDir(['demo', 'multi']);
const server = useClient(dir);

async function openExample(name: string, version = 1): Promise<{ uri: string; text: string; path: string }> {
  const path = join(dir.path, name, 'default.nix');
  const text = await readFile(path, 'utf8');
  return { uri: await server.client.open(path, text, version), text, path };
}

/** A file of one image: pname on line 3, the units on line 5 (1-based). */
function image(pname: string, units: string): string {
  return ['{ pkgs ? import <nixpkgs> { } }:', 'pkgs.portableService {', `  pname = "${pname}";`, '  version = "1";', `  units = [ ${units} ];`, '}', ''].join('\n');
}

/** Opens `text` as a new file of the demo's directory. */
async function openText(name: string, text: string): Promise<string> {
  return server.client.open(join(dir.path, 'demo', name), text);
}

test('the demo: no diagnostics, its code lens, symbols, preview and show', async () => {
  const { uri, text } = await openExample('demo');
  expect((await server.client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);

  const lenses = await server.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  expect(lenses.map((l) => l.command?.title)).toEqual(['demo_1.0.raw · 2 units · 3 store paths', 'Show image', 'Build image']);
  expect(lenses[0]!.range.start).toEqual(positionOf(text, 'pkgs.portableService {'));
  expect(lenses[2]!.command).toEqual({ title: 'Build image', command: 'tsportable.build', arguments: [uri, ''] });

  const symbols = await server.client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  expect(symbols.map((s) => s.name)).toEqual(['demo_1.0.raw']);
  expect(symbols[0]!.children!.map((c) => [c.name, c.detail])).toEqual([['demo.service', 'pkgs.writeText'], ['demo.socket', 'pkgs.concatText']]);
  expect(symbols[0]!.children![0]!.range.start).toEqual(positionOf(text, 'demo-service demo-socket'));

  const all = await server.client.request<ShowPlan[]>('tsportable/preview', { textDocument: { uri } });
  expect(all.map((p) => p.imageFileName)).toEqual(['demo_1.0.raw']);
  expect(all[0]!.units[1]!.text).toContain('ListenStream=127.0.0.1:8034');
  const there = await server.client.request<ShowPlan | null>('tsportable/preview', { textDocument: { uri }, position: positionOf(text, 'version = "1.0"') });
  expect(there?.osRelease).toContain('PORTABLE_ID=demo\n');
  const outside = await server.client.request<ShowPlan | null>('tsportable/preview', { textDocument: { uri }, position: { line: 0, character: 0 } });
  expect(outside).toBeNull();

  const shown = await server.client.request<{ text: string }>('workspace/executeCommand', { command: 'tsportable.show', arguments: [uri] });
  expect(shown.text).toContain('Image demo_1.0.raw');
  expect(shown.text).toContain('ExecStart=${pkgs.writeShellScriptBin "demo-greeter" (...)}/bin/demo-greeter');
});

test('hovers: a unit, the image, a value, a path, an argument', async () => {
  const { uri, text } = await openExample('demo');
  const unit = markdown(await server.client.hover(uri, positionOf(text, 'demo-service demo-socket', 3)));
  expect(unit).toContain('/etc/systemd/system/demo.service');
  expect(unit).toContain('ExecStart=${pkgs.writeShellScriptBin "demo-greeter" (...)}/bin/demo-greeter');
  expect(markdown(await server.client.hover(uri, positionOf(text, 'demo-socket ]', 4)))).toContain('ListenStream=127.0.0.1:8034');

  const image = markdown(await server.client.hover(uri, positionOf(text, 'portableService {', 4)));
  expect(image).toContain('**demo_1.0.raw**');
  expect(image).toContain('PORTABLE_PRETTY_NAME=A demo "Portable Service" for a shell program built with nix');
  expect(image).toContain('`/etc/systemd/system/demo.socket` (pkgs.concatText)');
  expect(image).toContain('-comp xz -Xdict-size 100%');

  const value = markdown(await server.client.hover(uri, positionOf(text, '${demo-program}', 4)));
  expect(value).toContain('a derivation made by `pkgs.writeShellScriptBin`, named `demo-greeter`');
  expect(value).toContain('echo "Hello from a portable service"');
  expect(value).toContain('${pkgs.coreutils}/bin/sleep 3');

  const path = markdown(await server.client.hover(uri, positionOf(text, './demo.socket', 4)));
  expect(path).toContain(`→ \`${join(dir.path, 'demo', 'demo.socket')}\``);
  expect(path).toMatch(/a file, \d+ bytes/);

  const arg = markdown(await server.client.hover(uri, positionOf(text, 'pname =', 2)));
  expect(arg).toContain('**pname** (argument of `pkgs.portableService`): a string, required');

  const uri2 = await openText('values.nix', 'let n = 40 + 2; s = { a = n; b = "x"; }; in s.a + s.a');
  const number = markdown(await server.client.hover(uri2, { line: 0, character: 4 }));
  expect(number).toContain('**n**: an integer');
  expect(number).toContain('42');
  const attr = markdown(await server.client.hover(uri2, positionOf('let n = 40 + 2; s = { a = n; b = "x"; }; in s.a + s.a', 's.a +', 2)));
  expect(attr).toContain('**s.a**: an integer');
});

test('completion: package names after pkgs., portableService arguments with their documentation, builtins', async () => {
  const text = '{ pkgs ? import <nixpkgs> { } }:\npkgs.portableService {\n  pname = "demo";\n  \n  units = [ pkgs. ];\n}\n';
  const uri = await openText('complete.nix', text);
  const afterPkgs = await server.client.completion(uri, positionOf(text, 'pkgs. ]', 5));
  const names = afterPkgs!.items.map((i) => i.label);
  expect(names).toEqual(expect.arrayContaining(['writeText', 'writeShellScriptBin', 'hello', 'cacert', 'portableService']));

  const args = await server.client.completion(uri, { line: 3, character: 2 });
  const byName = new Map(args!.items.map((i) => [i.label, i]));
  expect([...byName.keys()]).toEqual(['pname', 'version', 'units', 'description', 'homepage', 'symlinks', 'contents', 'squashfs-tools', 'squash-compression', 'squash-block-size']);
  expect(byName.get('squash-compression')!.detail).toBe('a string, default "xz -Xdict-size 100%"');
  expect((byName.get('units')!.documentation as MarkupContent).value).toContain('/etc/systemd/system/<unit.name>');
  expect(byName.get('squashfs-tools')!.documentation).toEqual(expect.objectContaining({ value: expect.stringContaining('`squashfsTools`') }));

  const lib = await server.client.completion(uri, positionOf(text, 'pkgs. ]', 5));
  expect(lib!.items.length).toBeGreaterThan(10);
  const text2 = 'let lib = (import <nixpkgs> { }).lib; in [ lib.strings.concatS builtins.attrN ]';
  const uri2 = await openText('complete2.nix', text2);
  const strings = await server.client.completion(uri2, positionOf(text2, 'concatS', 7));
  expect(strings!.items.map((i) => i.label)).toEqual(expect.arrayContaining(['concatStrings', 'concatStringsSep']));
  const builtins = await server.client.completion(uri2, positionOf(text2, 'attrN', 5));
  expect(builtins!.items.find((i) => i.label === 'attrNames')?.documentation).toEqual(expect.stringContaining('names'));
});

test('go to definition: bindings, inherit, a path, an attribute of an imported file', async () => {
  const { uri, text } = await openExample('demo');
  const toBinding = await server.client.definition(uri, positionOf(text, '${demo-program}', 4));
  expect(toBinding).toEqual([{ uri, range: { start: positionOf(text, 'demo-program ='), end: positionOf(text, 'demo-program =', 'demo-program'.length) } }]);
  const toFile = await server.client.definition(uri, positionOf(text, './demo.socket', 3));
  expect(toFile![0]!.uri).toBe(`file://${join(dir.path, 'demo', 'demo.socket')}`);

  const text2 = 'let cfg = import ./cfg.nix; inherit (cfg) name; in { inherit name; other = cfg.name; }';
  const uri2 = await openText('def.nix', text2);
  await writeFile(join(dir.path, 'demo', 'cfg.nix'), '{\n  name = "x";\n}\n');
  const cfgUri = `file://${join(dir.path, 'demo', 'cfg.nix')}`;
  const nameInCfg = { uri: cfgUri, range: { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } } };
  expect(await server.client.definition(uri2, positionOf(text2, 'cfg.name;', 5))).toEqual([nameInCfg]);
  expect(await server.client.definition(uri2, positionOf(text2, 'inherit (cfg) name', 15))).toEqual([nameInCfg]);
  // `inherit name;` in the set goes to the `let` binding it takes the name from.
  expect(await server.client.definition(uri2, positionOf(text2, 'inherit name;', 9))).toEqual([{ uri: uri2, range: { start: positionOf(text2, 'name; in'), end: positionOf(text2, 'name; in', 4) } }]);
});

test('builtins.warn: a warning diagnostic at the call, or at the start of the file with its place when the call is elsewhere', async () => {
  const here = await openText('warn-here.nix', 'let x = 1; in\nbuiltins.warn "x is old" x\n');
  const h = (await server.client.diagnosticsFor(here, 1)).diagnostics;
  expect(h.map((x) => [x.severity, x.message, x.range.start.line])).toEqual([[2, 'x is old', 1]]);

  await writeFile(join(dir.path, 'demo', 'warner.nix'), '{\n  v = builtins.warn "use w instead" 2;\n}\n');
  const elsewhere = await openText('warn-elsewhere.nix', 'let s = import ./warner.nix; in\ns.v + 1\n');
  const e = (await server.client.diagnosticsFor(elsewhere, 1)).diagnostics;
  expect(e.map((x) => [x.severity, x.message, x.range.start])).toEqual([[2, 'use w instead', { line: 0, character: 0 }]]);
  expect(e[0]!.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]))
    .toEqual([[`file://${join(dir.path, 'demo', 'warner.nix')}`, 1, 'the warning is here']]);
});

test('diagnostics: syntax errors, evaluation errors with their trace, argument errors, show warnings with codes', async () => {
  const syntax = await openText('syntax.nix', 'let\n  a = 1;\n  b = ;\n  c = [ 1 2;\nin a\n');
  const s = (await server.client.diagnosticsFor(syntax, 1)).diagnostics;
  expect(s.map((x) => [x.range.start, x.message])).toEqual([
    [{ line: 2, character: 6 }, "syntax error, unexpected ';'"],
    [{ line: 3, character: 11 }, "syntax error, unexpected ';', expecting ']'"],
  ]);
  expect(s.every((x) => x.code === 'parse' && x.severity === 1)).toBe(true);

  const missing = await openText('missing.nix', 'let lib = (import <nixpkgs> { }).lib; in lib.strings.concatStringz [ ]\n');
  const m = (await server.client.diagnosticsFor(missing, 1)).diagnostics;
  expect(m).toHaveLength(1);
  expect(m[0]!.message).toBe("attribute 'concatStringz' missing\nDid you mean concatStrings?");
  expect(m[0]!.range.start).toEqual({ line: 0, character: 41 });

  // An error inside a function of another file: shown at the call in this document, with the place of the error related.
  await writeFile(join(dir.path, 'demo', 'helper.nix'), 'x: x + "a"\n');
  const deep = await openText('deep.nix', 'let f = import ./helper.nix; in f 1\n');
  const d = (await server.client.diagnosticsFor(deep, 1)).diagnostics;
  expect(d[0]!.message).toContain('cannot add a string to an integer');
  expect(d[0]!.range.start.line).toBe(0);
  expect(d[0]!.relatedInformation?.[0]?.location.uri).toBe(`file://${join(dir.path, 'demo', 'helper.nix')}`);

  const undef = await openText('undefined.nix', 'let a = 1; in a + b\n');
  expect((await server.client.diagnosticsFor(undef, 1)).diagnostics.map((x) => [x.message, x.range.start])).toEqual([["undefined variable 'b'", { line: 0, character: 18 }]]);

  const argument = await openText('argument.nix', '{ pkgs ? import <nixpkgs> { } }:\npkgs.portableService {\n  pname = "demo";\n  version = 1;\n  units = [ ];\n}\n');
  const a = (await server.client.diagnosticsFor(argument, 1)).diagnostics;
  expect(a[0]!.message).toBe("portableService: argument 'version' must be a string, but found an integer");
  expect(a[0]!.range.start).toEqual({ line: 3, character: 2 });

  const warned = await openText('warned.nix', image('my_app', '(pkgs.writeText "my_app.service" "[Service]\\nExecStart=sleep 1\\n")'));
  const w = (await server.client.diagnosticsFor(warned, 1)).diagnostics;
  expect(w.map((x) => x.code)).toEqual(expect.arrayContaining(['pname-underscore', 'exec-not-in-image']));
  const underscore = w.find((x) => x.code === 'pname-underscore')!;
  expect(underscore.range.start).toEqual({ line: 2, character: 2 });
  expect(underscore.severity).toBe(2);
  expect(w.find((x) => x.code === 'exec-not-in-image')!.message).toMatch(/^ExecStart= program 'sleep' is a bare name: .* \(my_app.service, line 2\)$/);

  const names = await openText('names.nix', image('demo', '(pkgs.writeText "demo.txt" "") (pkgs.writeText "demox.service" "")'));
  const n = (await server.client.diagnosticsFor(names, 1)).diagnostics;
  expect(n.map((x) => [x.code, x.range.start])).toEqual([
    ['unit-suffix', { line: 4, character: 13 }],
    ['unit-prefix', { line: 4, character: 44 }],
    ['no-matching-unit', { line: 2, character: 2 }],
  ]);
});

test('an error names a package by its real path, as Nix does, in a diagnostic and a hover; a preview as show does', async () => {
  const standIn = join(packageRoot, 'nix', 'pkgs');
  const r = await execa('nix-instantiate', ['--eval', '-I', `nixpkgs=${standIn}`, '-E', '"${(import <nixpkgs> { }).hello}"']);
  const hello = JSON.parse(String(r.stdout)) as string;
  expect(hello).toMatch(/^\/nix\/store\/[0-9a-z]{32}-hello-/);
  const failing = '(builtins.addErrorContext "ctx ${pkgs.hello}" (throw "bad ${pkgs.hello}"))';
  const uri = await openText('realpaths.nix', image('hello', failing));
  const found = (await server.client.diagnosticsFor(uri, 1)).diagnostics;
  expect(found.map((d) => d.message)).toEqual([`bad ${hello}`]);

  // Hovers: a failing value's error as the diagnostic says it; a set's strings as show writes them.
  const text = '{ pkgs ? import <nixpkgs> { } }:\nlet s = { p = "${pkgs.hello}/bin"; }; b = throw "bad ${pkgs.hello}"; in\n'
    + 'pkgs.portableService { pname = "hello"; version = "1"; units = [ (builtins.deepSeq s b) ]; }\n';
  const hovered = await openText('realpaths-hover.nix', text);
  await server.client.diagnosticsFor(hovered, 1);
  expect(markdown(await server.client.hover(hovered, positionOf(text, 'b)')))).toContain(`Evaluating it fails: bad ${hello}`);
  expect(markdown(await server.client.hover(hovered, positionOf(text, 's b)')))).toContain('{ p = "${pkgs.hello}/bin"; }');
});

test('a newer version always wins: quick edits end with the last version, never an older one after it', async () => {
  const { uri, text } = await openExample('demo');
  await server.client.diagnosticsFor(uri, 1);
  const at = positionOf(text, '"demo";', 1);
  // Versions 2..20 alternate a broken pname (a `_`) and a good one; the last is good.
  for (let v = 2; v <= 20; v++) {
    await server.client.change(uri, v, [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: v % 2 === 0 ? 'de_o' : 'demo' }]);
  }
  await server.client.change(uri, 21, [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: 'demo' }]);
  const last = await server.client.diagnosticsFor(uri, 21);
  expect(last.diagnostics).toEqual([]);
  await new Promise((r) => setTimeout(r, 300));
  const versions = server.client.published.get(uri)!.map((p) => p.version!);
  expect(versions[versions.length - 1]).toBe(21);
  expect([...versions].sort((x, y) => x - y)).toEqual(versions);
});

test('a file of several images: a lens, a symbol, a hover and a preview for each', async () => {
  const { uri, text } = await openExample('multi');
  expect((await server.client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
  const plans = await server.client.request<ShowPlan[]>('tsportable/preview', { textDocument: { uri } });
  expect(plans.map((p) => p.imageFileName)).toEqual(['web_1.4.raw', 'worker_0.9.raw']);
  const lenses = await server.client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  expect(lenses.filter((l) => l.command?.command === '').map((l) => [l.range.start, l.command!.title])).toEqual([
    [positionOf(text, 'pkgs.portableService {\n    pname = "web"'), 'web_1.4.raw · 1 unit · 2 store paths'],
    [positionOf(text, 'pkgs.portableService {\n    pname = "worker"'), 'worker_0.9.raw · 2 units · 4 store paths'],
  ]);
  expect(lenses.filter((l) => l.command?.command === 'tsportable.build').map((l) => l.command!.arguments)).toEqual([[uri, 'web'], [uri, 'worker']]);
  const symbols = await server.client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  expect(symbols.map((x) => [x.name, x.detail, x.children!.map((c) => c.name)])).toEqual([
    ['web_1.4.raw', 'web: pkgs.portableService', ['web.service']],
    ['worker_0.9.raw', 'worker: pkgs.portableService', ['worker.service', 'worker-cleanup.service']],
  ]);
  expect(markdown(await server.client.hover(uri, positionOf(text, 'portableService {\n    pname = "web"', 2)))).toContain('**web_1.4.raw** (attribute `web`)');
  expect(markdown(await server.client.hover(uri, positionOf(text, 'portableService {\n    pname = "worker"', 2)))).toContain('**worker_0.9.raw** (attribute `worker`)');
  const worker = await server.client.request<ShowPlan | null>('tsportable/preview', { textDocument: { uri }, position: positionOf(text, '"worker-cleanup"') });
  expect(worker?.units.map((u) => u.name)).toEqual(['worker.service', 'worker-cleanup.service']);
});

test('a package of the package set: hover from Nix; with nixpkgs on the search path, its names come from one Nix query', async () => {
  const text = '{ pkgs ? import <nixpkgs> { } }:\n[ pkgs.hello ]\n';
  const uri = await openText('package.nix', text);
  await server.client.diagnosticsFor(uri, 1);
  const hello = markdown(await server.client.hover(uri, positionOf(text, 'hello', 2)));
  expect(hello).toContain('**pkgs.hello**: `pkgs.hello`, evaluated by Nix');
  expect(hello).toContain('- name: hello-1.0\n- version: 1.0\n- description: A program that prints a greeting');

  const fixture = join(packageRoot, 'test', 'fixtures', 'nixpkgs');
  await withClient({ cwd: dir.path, initializationOptions: { debounceMs: 5, searchPath: [`nixpkgs=${fixture}`] } }, async (other) => {
    const text2 = '{ pkgs ? import <nixpkgs> { } }:\npkgs.\n';
    const uri2 = await other.open(join(dir.path, 'demo', 'names.nix'), text2);
    await other.diagnosticsFor(uri2, 1);
    for (let i = 0; i < 3; i++) {
      const names = (await other.completion(uri2, { line: 1, character: 5 }))!.items.map((item) => item.label);
      expect(names).toEqual(expect.arrayContaining(['writeText', 'portableService', 'hello', 'libdemo', 'greeter']));
    }
    expect((await other.request<{ nixProcesses: number }>('tsportable/status', {})).nixProcesses).toBe(1);
  });
});

test('saving a file re-analyses the documents that import it', async () => {
  const lib = join(dir.path, 'demo', 'number.nix');
  await writeFile(lib, '1\n');
  const main = await openText('imports.nix', '(import ./number.nix) + 1\n');
  expect((await server.client.diagnosticsFor(main, 1)).diagnostics).toEqual([]);
  await writeFile(lib, '"one"\n');
  const libUri = await server.client.open(lib, '"one"\n');
  await server.client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: libUri } });
  const after = await server.client.waitFor(() => server.client.published.get(main)!.find((p) => p.diagnostics.length > 0), 'the analysis after the save');
  expect(after.diagnostics.map((d) => d.message)).toEqual(['cannot coerce an integer to a string: 1']);
});
