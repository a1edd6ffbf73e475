/**
 * What a recording (src/eval/dependencies.ts) keeps must tell every change
 * apart from no change: each kind of file question asked during a recording
 * is answered differently after its file changes; a tree handed to Nix is
 * changed by an edit, an added entry or a new mode; a file that changed while
 * it was being recorded, an unknowable step, or an excluded path are handled
 * as the cached rebuild needs (src/cli/rebuild.ts). The cases run in a plain
 * Node process (dependencyCases.ts); in jest's, a recording sees that it
 * cannot watch node:fs and says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startRecording } from '../../src/eval/dependencies.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsportable-dependencies-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('each question, and each tree handed to Nix, is unchanged until its file changes', async () => {
  const script = fileURLToPath(new URL('./dependencyCases.js', import.meta.url));
  const r = await execa(process.execPath, [script, dir]);
  const results = JSON.parse(r.stdout) as Record<string, unknown>;
  const changes = Object.entries(results).filter(([name]) => !['excluded', 'changed while recorded', 'unknowable'].includes(name));
  expect(changes).toHaveLength(14);
  for (const [name, outcome] of changes) expect([name, outcome]).toEqual([name, { kept: 1, before: true, after: false }]);
  expect(results.excluded).toEqual({ trees: 0, files: [['existsSync', '/nix/store/00000000000000000000000000000000-absent']] });
  expect(results['changed while recorded']).toEqual({ unknowable: `${join(dir, '4', 'x')} changed during the build` });
  expect(results.unknowable).toEqual({ unknowable: 'builtins.currentTime' });
});

test('where node:fs cannot be watched (jest\'s copies of the builtins), a recording is unknowable', () => {
  expect(startRecording({ exclude: [], immutable: [] }).finish()).toEqual({ unknowable: 'node:fs cannot be watched in this process' });
});
