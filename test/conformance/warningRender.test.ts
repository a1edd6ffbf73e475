/**
 * Warnings and errors laid out as current Nix prints them: the word, the
 * message, `at FILE:LINE:COL:` and a code frame whose line numbers are
 * right-aligned in six columns after the indent of the word (`error:` seven
 * spaces, `warning:` nine), a `^` under the column, no trailing blanks.
 * Frames of a warning are shown, each followed by an empty line.
 * And the eval command's lint options, which install this renderer.
 */
import { main } from '../../src/cli/run.js';
import { renderError, renderWarning } from '../../src/cli/render.js';
import { NixError } from '../../src/eval/errors.js';
import { evalCommand } from '../../src/cli/commands/eval.js';
import { io } from '../../src/cli/command.js';
import { parseArgs } from '../../src/cli/options.js';
import { resetLints } from '../../src/eval/syntax/lint.js';

const source = { path: '/p/f.nix', text: 'let\n  a = 1;\n\n  b = x;\nin b\n' };
const at = (line: number, column: number) => ({ source, line, column, endLine: line, endColumn: column + 1 });

test('a warning with a position, in Nix form', () => {
  expect(renderWarning({ message: 'careful', span: at(2, 3), trace: [] }, { color: false, underline: false })).toBe([
    'warning: careful',
    '         at /p/f.nix:2:3:',
    '              1| let',
    '              2|   a = 1;',
    '               |   ^',
    '              3|',
    '',
  ].join('\n'));
});

test('a warning with a frame without position (as derivation attribute warnings)', () => {
  const w = { message: 'old attribute', span: at(4, 3), trace: [{ message: "while evaluating derivation 'd'" }] };
  expect(renderWarning(w, { color: false, underline: false })).toBe([
    'warning:',
    "         … while evaluating derivation 'd'",
    '',
    '         warning: old attribute',
    '         at /p/f.nix:4:3:',
    '              3|',
    '              4|   b = x;',
    '               |   ^',
    '              5| in b',
    '',
  ].join('\n'));
});

test('errors share the layout; two-digit line numbers keep the bar in place', () => {
  const long = { path: '/p/g.nix', text: Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n') };
  const err = new NixError('eval', 'bad', { source: long, line: 10, column: 1, endLine: 10, endColumn: 3 });
  expect(renderError(err, { showTrace: false, color: false })).toBe([
    'error: bad',
    '       at /p/g.nix:10:1:',
    '            9| l9',
    '           10| l10',
    '             | ^~',
    '           11| l11',
    '',
  ].join('\n'));
});

describe('eval --lint-*', () => {
  const saved = { ...io };
  let out = '';
  let err = '';
  beforeEach(() => {
    out = '';
    err = '';
    io.stdout = (t) => { out += t; };
    io.stderr = (t) => { err += t; };
  });
  afterEach(() => {
    Object.assign(io, saved);
    resetLints();
  });

  test('warn renders the warning on stderr and evaluates', async () => {
    expect(await main(['eval', '--lint-url-literals', 'warn', '-E', 'http://x.org'])).toBe(0);
    expect(out).toBe('"http://x.org"\n');
    expect(err).toContain('warning: URL literals are discouraged. Consider using a string literal "http://x.org" instead (lint-url-literals)');
    expect(err).toContain('at «string»:1:1:');
  });

  test('fatal fails with the parse error; a bad level is a usage error in Nix\'s words', async () => {
    const fatal = parseArgs(evalCommand.spec, ['--lint-short-path-literals', 'fatal', '-E', 'a/b']);
    await expect(evalCommand.run(fatal)).rejects.toThrow("relative path literal 'a/b' should be prefixed with '.' for clarity: './a/b' (lint-short-path-literals)");
    const bad = parseArgs(evalCommand.spec, ['--lint-url-literals', 'loud', '-E', '1']);
    await expect(evalCommand.run(bad)).rejects.toThrow("option 'lint-url-literals' has invalid value 'loud' (expected 'ignore', 'warn', or 'fatal')");
  });
});
