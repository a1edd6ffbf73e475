import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReference } from '../../src/cli/main.js';
import { packageRoot } from '../../src/paths.js';

test('docs/cli.md is the commands\' --help (regenerate it with npm run docs)', () => {
  expect(readFileSync(join(packageRoot, 'docs/cli.md'), 'utf8')).toBe(cliReference());
});
