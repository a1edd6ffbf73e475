import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReference, exitCodes } from '../../src/cli/main.js';
import { packageRoot } from '../../src/paths.js';

test('docs/cli.md is the commands\' --help (regenerate it with npm run docs)', () => {
  expect(readFileSync(join(packageRoot, 'docs/cli.md'), 'utf8')).toBe(cliReference());
});

test('README\'s command section names every exit code --help lists', () => {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## Examples'));
  const paragraph = section.slice(section.indexOf('Exit codes'));
  for (const [code] of exitCodes) expect(paragraph).toMatch(new RegExp(`\\b${code} `));
});
