/**
 * The "Build image" command through the language server: a real build of a
 * copy of the demo (Nix, mksquashfs), reported with `window/workDoneProgress`
 * and ending with the image's path; a document with unsaved edits is refused;
 * `shutdown` then `exit` ends the server with status 0.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { LspClient, positionOf, useTempDir } from './client.js';

const dir = useTempDir(['demo']);

test('Build image: progress, the image path, the closure in the hover; unsaved edits refused; shutdown exits 0', async () => {
  const client = await LspClient.start({ cwd: dir.path, env: { TSPORTABLE_CACHE_DIR: join(dir.path, 'cache') } });
  try {
    const path = join(dir.path, 'demo', 'default.nix');
    const text = await readFile(path, 'utf8');
    const uri = await client.open(path, text);
    await client.diagnosticsFor(uri, 1);

    const outcomes = await client.request<Array<{ image: string; outLink: string; closure: string[] }>>(
      'workspace/executeCommand', { command: 'tsportable.build', arguments: [uri, ''], workDoneToken: 'build-1' });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.image).toMatch(/\/demo_1\.0\.raw$/);
    expect((await stat(outcomes[0]!.image)).size).toBeGreaterThan(0);
    expect(outcomes[0]!.outLink).toBe(join(dir.path, 'demo', 'result'));
    expect(client.logs).toContain('progress begin Building demo_1.0.raw');
    expect(client.logs).toContain('progress end');
    expect(client.logs.some((l) => l.startsWith(`tsportable: built ${outcomes[0]!.image}`))).toBe(true);

    const hover = await client.hover(uri, positionOf(text, 'portableService {', 3)) as Hover;
    expect((hover.contents as MarkupContent).value).toContain(`**Closure** ${outcomes[0]!.closure.length} store paths (last build: \`${outcomes[0]!.image}\`)`);

    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# unsaved\n' }]);
    await expect(client.request('workspace/executeCommand', { command: 'tsportable.build', arguments: [uri] }))
      .rejects.toThrow(/has unsaved changes: save it first/);
    expect(await client.stop()).toBe(0);
  } finally {
    client.kill();
  }
});
