import { commands } from '../../src/cli/commands/index.js';
import { commandNames, loadCommand } from '../../src/cli/commands/load.js';

test('the lazily loaded commands are the listed ones', async () => {
  expect([...commandNames].sort()).toEqual(commands.map((c) => c.spec.name).sort());
  for (const c of commands) expect(await loadCommand(c.spec.name)).toBe(c);
  expect(await loadCommand('toString')).toBeUndefined();
});
