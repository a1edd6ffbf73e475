/**
 * The language server never blocks and never exits on bad input: files that
 * do not terminate end in an error or the time limit, one that exhausts the
 * worker's memory gets a diagnostic and a new worker, an analysis waiting for
 * a slow Nix process is abandoned when the document changes, and the Nix
 * questions of an analysis are asked once and then answered from memory
 * across edits. Real Nix throughout; the slow one is the real one behind a
 * shim that first sleeps.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { ServerStatus } from '../../src/lsp/protocol.js';
import { LspClient, useTempDir } from './client.js';

const tmp = useTempDir();

async function withServer(options: Parameters<typeof LspClient.start>[0], f: (c: LspClient) => Promise<void>): Promise<void> {
  const client = await LspClient.start({ cwd: tmp.path, ...options });
  try {
    await f(client);
    expect(client.alive).toBe(true);
  } finally {
    await client.stop().catch(() => undefined);
    client.kill();
  }
}

test('files that do not terminate end in an error or at the time limit; memory exhaustion costs only the worker', async () => {
  await withServer({ initializationOptions: { debounceMs: 5, timeLimitMs: 400, memoryLimitMb: 200 } }, async (c) => {
    const diagnostics = async (name: string, text: string) => {
      const uri = await c.open(join(tmp.path, name), text);
      return (await c.diagnosticsFor(uri, 1, 60_000)).diagnostics.map((d) => [d.code, (d.message as string).split('\n')[0]]);
    };
    expect(await diagnostics('self.nix', 'let x = x; in x')).toEqual([['eval', 'infinite recursion encountered']]);
    expect(await diagnostics('calls.nix', 'let f = x: f x; in f 1')).toEqual([['eval', 'stack overflow; max-call-depth exceeded']]);
    const started = performance.now();
    const long = await diagnostics('long.nix', "builtins.foldl' (a: i: builtins.foldl' (b: j: b + 1) a (builtins.genList (x: x) 1000)) 0 (builtins.genList (x: x) 100000)");
    expect(long).toEqual([['time-limit', expect.stringMatching(/^evaluation stopped after 400 ms/)]]);
    expect(performance.now() - started).toBeLessThan(5000);
    const huge = await diagnostics('huge.nix', 'builtins.length (builtins.concatLists (builtins.genList (x: builtins.genList (y: y) 10000) 10000))');
    expect(huge).toEqual([['analysis-failed', expect.stringContaining('memory limit')]]);
    expect(await diagnostics('fine.nix', '1 + 1')).toEqual([]);
    const status = await c.request<ServerStatus>('tsportable/status', {});
    expect(status.workerRestarts).toBe(1);
  });
});

test('a worker stuck where it cannot poll (a regular expression backtracking for ever) is stopped by the watchdog', async () => {
  await withServer({ initializationOptions: { debounceMs: 5, timeLimitMs: 200, nixTimeoutMs: 100 } }, async (c) => {
    const started = performance.now();
    const stuck = await c.open(join(tmp.path, 'regex.nix'), `builtins.match "(a*)*b" "${'a'.repeat(60)}"`);
    const d = await c.diagnosticsFor(stuck, 1, 30_000);
    // The watchdog allows the time limit, one Nix process's limit and 3 s more.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(d.diagnostics.map((x) => [x.code, x.message])).toEqual([
      ['analysis-failed', 'tsportable could not analyse this file: the analysis did not finish within 3300 ms and was stopped'],
    ]);
    const fine = await c.open(join(tmp.path, 'after.nix'), '1 + 1');
    expect((await c.diagnosticsFor(fine, 1)).diagnostics).toEqual([]);
    expect((await c.request<ServerStatus>('tsportable/status', {})).workerRestarts).toBe(1);
  });
});

test('an analysis waiting for a slow Nix process is abandoned for the next edit', async () => {
  const shims = join(tmp.path, 'slow');
  await mkdir(shims, { recursive: true });
  const real = (await execa('sh', ['-c', 'command -v nix-instantiate'])).stdout.trim();
  await writeFile(join(shims, 'nix-instantiate'), `#!/bin/sh\nsleep 10\nexec '${real}' "$@"\n`);
  await chmod(join(shims, 'nix-instantiate'), 0o755);
  await withServer({ env: { PATH: `${shims}${delimiter}${process.env.PATH}` }, initializationOptions: { debounceMs: 5 } }, async (c) => {
    // `pkgs.hello ? pname` is a question for Nix (the default set's own names are known without): the analysis waits for it.
    const uri = await c.open(join(tmp.path, 'slow.nix'), '{ pkgs ? import <nixpkgs> { } }: if pkgs.hello ? pname then 1 else 2');
    // Until the question is with Nix (the shim sleeps 10 s before Nix starts).
    for (let asked = 0; asked === 0; await new Promise((r) => setTimeout(r, 50))) {
      asked = (await c.request<ServerStatus>('tsportable/status', {})).nixProcesses;
    }
    const changed = performance.now();
    await c.change(uri, 2, [{ text: '{ pkgs ? import <nixpkgs> { } }: 1 +' }]);
    const v2 = await c.diagnosticsFor(uri, 2, 8000);
    expect(performance.now() - changed).toBeLessThan(5000);
    expect(v2.diagnostics.map((d) => d.message)).toEqual(['syntax error, unexpected end of file']);
    expect(c.published.get(uri)!.map((p) => p.version)).toEqual([2]);
    const status = await c.request<ServerStatus>('tsportable/status', {});
    expect(status.cancelled).toBe(1);
  });
});

test('the Nix questions of an analysis are asked once and answered from memory across edits', async () => {
  await withServer({ initializationOptions: { debounceMs: 5 } }, async (c) => {
    const text = (n: number) => [
      '{ pkgs ? import <nixpkgs> { } }:',
      `# edit ${n}`,
      'pkgs.portableService {',
      '  pname = "hi";',
      '  version = "1";',
      '  units = [ (pkgs.writeText "hi.service" "[Service]\\nExecStart=${pkgs.lib.getExe pkgs.hello}\\n") ];',
      '}',
      '',
    ].join('\n');
    const uri = await c.open(join(tmp.path, 'questions.nix'), text(0));
    expect((await c.diagnosticsFor(uri, 1, 60_000)).diagnostics).toEqual([]);
    const first = await c.request<ServerStatus>('tsportable/status', {});
    expect(first.nixProcesses).toBe(1);
    for (let v = 2; v <= 6; v++) {
      await c.change(uri, v, [{ text: text(v) }]);
      expect((await c.diagnosticsFor(uri, v, 60_000)).diagnostics).toEqual([]);
    }
    const after = await c.request<ServerStatus>('tsportable/status', {});
    expect(after.nixProcesses).toBe(1);
    expect(after.nixAnswersReused).toBeGreaterThanOrEqual(5);
    // Saving a file forgets only the answers that name its directory: this one is about the package set.
    await c.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await c.waitFor(() => (c.published.get(uri)!.length > 6 ? true : undefined), 'the analysis after saving', 60_000);
    expect((await c.request<ServerStatus>('tsportable/status', {})).nixProcesses).toBe(1);
  });
});
