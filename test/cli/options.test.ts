import { parseArgs, renderHelp, optStrings, optTuples, optFlag, type CommandSpec } from '../../src/cli/options.js';
import { evalInputOptions, jsonOption, splitNixPath, searchPathFrom } from '../../src/cli/evalInput.js';
import { NixError } from '../../src/eval/errors.js';
import { renderError, errorToJSON, exitCodeFor } from '../../src/cli/render.js';

const spec: CommandSpec = {
  name: 'build', summary: 's', positional: '[FILE]', maxPositional: 1, description: '',
  options: [...evalInputOptions, jsonOption, { long: '--out-link', short: '-o', values: ['LINK'], description: 'd' }],
};

describe('option parsing in nix-build conventions', () => {
  test('multi-value and repeated options keep their order', () => {
    const a = parseArgs(spec, ['f.nix', '--arg', 'x', '1', '-A', 'web', '--argstr', 'y', 'two', '--arg', 'z', '{ }', '-I', 'nixpkgs=/p']);
    expect(a.positional).toEqual(['f.nix']);
    expect(optTuples(a, 'arg')).toEqual([['x', '1'], ['z', '{ }']]);
    expect(optTuples(a, 'argstr')).toEqual([['y', 'two']]);
    expect(optStrings(a, 'attr')).toEqual(['web']);
    expect(optStrings(a, 'include')).toEqual(['nixpkgs=/p']);
  });
  test('--opt=value, flags and --', () => {
    const a = parseArgs(spec, ['--out-link=res', '--json', '--', '-weird.nix']);
    expect(optStrings(a, 'out-link')).toEqual(['res']);
    expect(optFlag(a, 'json')).toBe(true);
    expect(a.positional).toEqual(['-weird.nix']);
  });
  test('compound short flags as Nix splits them: letters are flags, the rest from a non-letter is a value', () => {
    const counted: CommandSpec = { ...spec, options: [...spec.options, { long: '--verbose', short: '-v', repeatable: true, description: 'd' }] };
    const a = parseArgs(counted, ['-vvv', '-A1', '-o', '-x']);
    expect(a.options.get('verbose')).toEqual([true, true, true]);
    expect(optStrings(a, 'attr')).toEqual(['1']);
    expect(optStrings(a, 'out-link')).toEqual(['-x']);
    expect(() => parseArgs(counted, ['-vq'])).toThrow("unrecognised flag '-q'");
  });
  test('an unknown long flag gets the closest flags as a hint', () => {
    const err = (() => { try { parseArgs(spec, ['--atr', 'x']); } catch (e) { return e as NixError; } })()!;
    expect(err.message).toBe("unrecognised flag '--atr'");
    expect(err.hints).toEqual(['Did you mean one of --arg or --attr?']);
  });
  test('unknown flags, missing values and extra arguments are usage errors', () => {
    expect(() => parseArgs(spec, ['--frobnicate'])).toThrow("unrecognised flag '--frobnicate'");
    expect(() => parseArgs(spec, ['--arg', 'x'])).toThrow("flag '--arg' requires 2 arguments (NAME EXPR)");
    expect(() => parseArgs(spec, ['a.nix', 'b.nix'])).toThrow("unexpected argument 'b.nix'");
    try { parseArgs(spec, ['--nope']); } catch (e) { expect((e as NixError).kind).toBe('usage'); }
  });
  test('help lists every option with its values', () => {
    const help = renderHelp(spec);
    for (const o of spec.options) expect(help).toContain(o.long);
    expect(help).toContain('--arg NAME EXPR');
    expect(help).toContain('-A, --attr ATTRPATH');
  });
});

describe('search path', () => {
  test('NIX_PATH splits on colons but keeps URLs whole', () => {
    expect(splitNixPath('nixpkgs=/a:/b::c=https://x.org/t.tar.gz')).toEqual(['nixpkgs=/a', '/b', 'c=https://x.org/t.tar.gz']);
    expect(splitNixPath(undefined)).toEqual([]);
  });
  test('-I entries come first and relative paths are made absolute against the working directory', () => {
    expect(searchPathFrom(['nixpkgs=./np', 'lib'], 'x=/y', '/work')).toEqual(['nixpkgs=/work/np', '/work/lib', 'x=/y']);
  });
});

describe('error rendering', () => {
  const source = { path: '/p/default.nix', text: 'let\n  x = 1 + "a";\nin x\n' };
  const span = { source, line: 2, column: 7, endLine: 2, endColumn: 14 };
  test('message, position and code frame, trace only with --show-trace', () => {
    const err = new NixError('eval', 'cannot add a string to an integer', span).addTrace('while evaluating x', span);
    const short = renderError(err, { showTrace: false, color: false });
    expect(short).toContain('error: cannot add a string to an integer');
    expect(short).toContain('at /p/default.nix:2:7:');
    expect(short).toContain('2|   x = 1 + "a";');
    expect(short).toContain('^~~~~~~');
    expect(short).toContain("use '--show-trace'");
    expect(short).not.toContain('while evaluating x');
    const full = renderError(err, { showTrace: true, color: false });
    expect(full.indexOf('while evaluating x')).toBeLessThan(full.indexOf('error: cannot add'));
  });
  test('JSON form and exit codes', () => {
    const err = new NixError('build', 'builder failed', span);
    expect(errorToJSON(err).span).toEqual({ file: '/p/default.nix', line: 2, column: 7, endLine: 2, endColumn: 14 });
    expect(exitCodeFor(err)).toBe(100);
    expect(exitCodeFor(new NixError('eval', 'x'))).toBe(1);
  });
});
