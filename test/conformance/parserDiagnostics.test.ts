/**
 * What current Nix's parser reports beyond syntax errors: the lint settings
 * (warn or fail on URL, short and absolute path literals), the deprecation
 * warning for the "cursed" `or`, NUL bytes in strings, pipe operators.
 * Semantics that Nix 2.8 shares (the cursed `or` as an argument, a list
 * element, an `or` default) are checked against the real nix-instantiate;
 * the messages of newer Nix against its documented wording.
 */
import { createEvaluator } from '../../src/eval/index.js';
import { NixError } from '../../src/eval/errors.js';
import { diagnostics, type NixWarning } from '../../src/eval/diagnostics.js';
import { lintSettings, resetLints } from '../../src/eval/syntax/lint.js';
import { nixPrint } from '../eval/nix.js';

const dir = '/tmp';
const ev = createEvaluator({ cwd: dir });

interface Captured { lines: string[]; warnings: NixWarning[] }

/** Evaluates `expr` strictly, collecting what goes to the diagnostics instead of stderr. */
function run(expr: string): { printed?: string; error?: NixError } & Captured {
  const saved = { write: diagnostics.write, warn: diagnostics.warn };
  const captured: Captured = { lines: [], warnings: [] };
  diagnostics.write = (l) => { captured.lines.push(l); };
  diagnostics.warn = (w) => { captured.warnings.push(w); };
  try {
    return { printed: ev.printValue(ev.evalExpr(expr, dir), { strict: true }), ...captured };
  } catch (e) {
    if (e instanceof NixError) return { error: e, ...captured };
    throw e;
  } finally {
    Object.assign(diagnostics, saved);
  }
}

afterEach(resetLints);

describe('lint settings', () => {
  test('ignored by default', () => {
    const r = run('[ foo/bar /abs http://x.org ]');
    expect(r.printed).toBe('[ /tmp/foo/bar /abs "http://x.org" ]');
    expect(r.warnings).toEqual([]);
  });

  test('warn: the message names the setting, the span is the literal, evaluation goes on', () => {
    lintSettings['lint-short-path-literals'] = 'warn';
    lintSettings['lint-absolute-path-literals'] = 'warn';
    lintSettings['lint-url-literals'] = 'warn';
    const r = run('[ foo/bar ./ok /abs/x http://x.org ../up ]');
    expect(r.printed).toBe('[ /tmp/foo/bar /tmp/ok /abs/x "http://x.org" /up ]');
    expect(r.warnings.map((w) => [w.message, w.span?.line, w.span?.column])).toEqual([
      ["relative path literal 'foo/bar' should be prefixed with '.' for clarity: './foo/bar' (lint-short-path-literals)", 1, 3],
      ["absolute path literals are not portable. Consider replacing path literal '/abs/x' by a string, relative path, or parameter (lint-absolute-path-literals)", 1, 16],
      ['URL literals are discouraged. Consider using a string literal "http://x.org" instead (lint-url-literals)', 1, 23],
    ]);
  });

  test('the literal is the first token of an interpolated path; ~/ paths are absolute ones', () => {
    lintSettings['lint-short-path-literals'] = 'warn';
    lintSettings['lint-absolute-path-literals'] = 'warn';
    const r = run('let x = "b"; in [ a/${x} ~/c ]');
    expect(r.warnings.map((w) => w.message)).toEqual([
      "relative path literal 'a/' should be prefixed with '.' for clarity: './a/' (lint-short-path-literals)",
      "home path literals are not portable. Consider replacing path literal '~/c' by a string, relative path, or parameter (lint-absolute-path-literals)",
    ]);
  });

  test('fatal: a parse error at the literal', () => {
    lintSettings['lint-url-literals'] = 'fatal';
    const r = run('1 + (http://x.org)');
    expect(r.error?.kind).toBe('parse');
    expect(r.error?.message).toBe('URL literals are disallowed. Consider using a string literal "http://x.org" instead (lint-url-literals)');
    expect([r.error?.span?.line, r.error?.span?.column]).toEqual([1, 6]);
  });
});

describe('the cursed or', () => {
  const cases = [
    'let or = 1; in { a = 2; }.b or (x: x) or',
    'let or = 1; in { a = 2; }.a or (x: x) or',
    'let or = 1; in (x: x * 2) (x: x + 1) or',
    'let or = 1; in builtins.length [ (x: x) or ]',
    'let or = x: x + 1; in map or [ 1 2 ]',
    'let f = x: x; or = 3; in f (f or)',
  ];

  test('evaluates as nix-instantiate 2.8 does', async () => {
    const theirs = await nixPrint(`[ ${cases.map((c) => `(${c})`).join(' ')} ]`, dir);
    const ours = cases.map((c) => run(c).printed);
    expect(`[ ${ours.join(' ')} ]`).toBe(theirs);
  });

  test('warns where current Nix does, pointing at the expression before `or`', () => {
    const warned = cases.map((c) => run(c).lines);
    expect(warned.map((l) => l.length)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(warned[2]![0]).toBe([
      'warning: at «string»:1:27: This expression uses `or` as an identifier in a way that will change in a future Nix release.',
      'Wrap this entire expression in parentheses to preserve its current meaning:',
      '    ((x: x + 1) or)',
      'Give feedback at https://github.com/NixOS/nix/pull/11121',
    ].join('\n'));
    expect(warned[0]![0]).toContain('at «string»:1:32:');
  });
});

describe('other lexer checks', () => {
  test('a NUL byte in a string is refused, shown as ␀, at the string token', () => {
    const r = run('"ab\0c"');
    expect(r.error?.message).toBe("input string 'ab␀c' cannot be represented as Nix string because it contains null bytes");
    expect([r.error?.span?.line, r.error?.span?.column]).toEqual([1, 2]);
    const ind = run("''\n  x\0\n''");
    expect(ind.error?.message).toBe("input string '  x␀\n' cannot be represented as Nix string because it contains null bytes");
    expect([ind.error?.span?.line, ind.error?.span?.column]).toEqual([2, 1]);
  });

  test('pipe operators: Nix\'s message, and a hint that tsportable has none', () => {
    const r = run('1 |> builtins.toString');
    expect(r.error?.message).toBe("experimental Nix feature 'pipe-operators' is disabled; add '--extra-experimental-features pipe-operators' to enable it");
    expect(r.error?.hints.join('')).toContain("does not implement the pipe operator '|>'");
  });
});
