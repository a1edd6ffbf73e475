/**
 * The evaluator's API against nix-instantiate: auto-calling with --arg and
 * --argstr, -A attribute paths (with list indices), printing without
 * --strict, the search path; and what Nix cannot be asked directly: deep
 * recursion on a big stack, the path-to-store hook and string contexts,
 * traces, the import cache.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createEvaluator } from '../../src/eval/index.js';
import { evalCommand, evalCommandOnBigStack, type EvalRequest } from './instantiate.js';
import { NixError } from '../../src/eval/errors.js';
import { NixString } from '../../src/eval/value/index.js';
import { setHooks, resetHooks } from '../../src/eval/value/hooks.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = path.join(root, 'test/eval');
const fixtures = path.join(dir, 'fixtures');

/** The same request as nix-instantiate arguments. */
function nixArgv(req: EvalRequest): string[] {
  const argv = ['--eval'];
  if (req.strict) argv.push('--strict');
  if (req.json) argv.push('--json');
  for (const p of req.attrPaths ?? []) argv.push('-A', p);
  for (const a of req.args ?? []) argv.push(a.kind === 'expr' ? '--arg' : '--argstr', a.name, a.value);
  for (const i of req.searchPath ?? []) argv.push('-I', i);
  if (req.expr !== undefined) argv.push('-E', req.expr);
  else if (req.file) argv.push(req.file);
  return argv;
}

async function nix(req: EvalRequest): Promise<string> {
  const r = await execa('nix-instantiate', nixArgv(req), { cwd: req.cwd, env: { NIX_PATH: '' }, reject: false });
  if (r.exitCode !== 0) {
    const lines = r.stderr.split('\n').filter((l) => l.trim().startsWith('error:'));
    return `error: ${lines[lines.length - 1]?.trim().slice('error: '.length)}`;
  }
  return r.stdout;
}

function ours(req: EvalRequest): string {
  try {
    return evalCommand(req);
  } catch (e) {
    return `error: ${(e as Error).message.split('\n')[0]}`;
  }
}

const commands: EvalRequest[] = [
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '2' }], attrPaths: ['sum'] },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '2' }, { name: 'c', kind: 'argstr' as 'string', value: 'x' }].map((a) => ({ ...a, kind: a.kind === 'expr' ? 'expr' : 'string' } as const)), attrPaths: ['names'], strict: true },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'string', value: 'x' }], attrPaths: ['f'], strict: true },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '5' }], attrPaths: ['list.1.x', 'nested.deeper'] },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '5' }], attrPaths: ['list.7'] },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '5' }], attrPaths: ['nope'] },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '5' }], attrPaths: ['sum.x'] },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '5' }], attrPaths: ['list.x'] },
  { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '5' }], attrPaths: ['g'] },
  { cwd: fixtures, file: 'autocall.nix', attrPaths: ['sum'] },
  { cwd: fixtures, file: 'autocall.nix' },
  { cwd: fixtures, file: 'defaults.nix', attrPaths: ['y'] },
  { cwd: fixtures, file: 'defaults.nix', args: [{ name: 'y', kind: 'expr', value: './simple.nix' }], strict: true },
  { cwd: fixtures, file: 'defaults.nix', args: [{ name: 'y', kind: 'expr', value: 'import ./simple.nix' }], json: true, strict: true },
  { cwd: fixtures, file: 'dir' },
  { cwd: fixtures, file: 'required.nix', args: [{ name: 'x', kind: 'expr', value: '2' }, { name: 'z', kind: 'expr', value: '2' }] },
  { cwd: fixtures, file: 'required.nix', attrPaths: ['x'] },
  { cwd: path.join(fixtures, 'dir') },
  { cwd: fixtures, expr: '{ a = 1 + 1; b = [ 1 (2 + 3) ]; c = "s"; d = x: x; e = { f = 1; }; }' },
  { cwd: fixtures, expr: 'let a = { x = 1; }; in { inherit a; b = a; }', strict: true },
  { cwd: fixtures, expr: '[ (1 + 1) builtins.add (builtins.add 1) ]' },
  { cwd: fixtures, expr: '{ a = 1.0e-5; b = 1.5; c = "é\\n"; }', json: true, strict: true },
  { cwd: fixtures, expr: 'import <fx/simple.nix>', searchPath: ['fx=' + fixtures], strict: true },
  { cwd: fixtures, expr: 'import <fixtures/dir>', searchPath: [dir], strict: true },
  { cwd: fixtures, expr: '<fixtures>', searchPath: ['nope=/nonexistent', 'fixtures=.'] },
  { cwd: fixtures, expr: '<nope>', searchPath: [dir] },
];

describe('evalCommand agrees with nix-instantiate', () => {
  // Where both fail, Nix 2.8's older wording is not compared; `messages` below checks current Nix's.
  const outcome = (s: string) => (s.startsWith('error:') ? 'error' : s);
  test.each(commands.map((c) => [nixArgv(c).join(' '), c] as const))('%s', async (_name, req) => {
    expect(outcome(ours(req))).toBe(outcome(await nix(req)));
  });

  test('messages as current Nix', () => {
    const file = { cwd: fixtures, file: 'autocall.nix', args: [{ name: 'b', kind: 'expr', value: '5' }] } as const;
    expect(ours({ ...file, attrPaths: ['nope'] })).toBe("error: attribute 'nope' in selection path 'nope' not found");
    expect(ours({ ...file, attrPaths: ['list.7'] })).toBe("error: list index 7 in selection path 'list.7' is out of range");
    expect(ours({ ...file, attrPaths: ['sum.x'] }))
      .toBe("error: the expression selected by the selection path 'sum.x' should be a set but is an integer");
    // With `...`, every argument is passed and the call itself reports the missing one.
    expect(ours({ cwd: fixtures, file: 'autocall.nix', attrPaths: ['sum'] }))
      .toBe("error: function 'anonymous lambda' called without required argument 'b'");
    expect(ours({ cwd: fixtures, file: 'required.nix', attrPaths: ['x'] }))
      .toBe("error: cannot evaluate a function that has an argument without a value ('x')");
    expect(ours({ cwd: fixtures, file: 'required.nix', args: [{ name: 'x', kind: 'expr', value: '2' }] })).toBe('3');
  });
});

describe('deep recursion', () => {
  const deep = (n: number) => `let f = n: if n == 0 then 0 else 1 + f (n - 1); in f ${n}`;

  test('9,000 nested calls evaluate on the big stack', async () => {
    expect(await evalCommandOnBigStack({ cwd: dir, expr: deep(9000) })).toBe('9000');
  });

  test('unbounded recursion is the max-call-depth error, quickly, not a crash', async () => {
    await expect(evalCommandOnBigStack({ cwd: dir, expr: 'let f = n: 1 + f n; in f 1' }))
      .rejects.toThrow(new NixError('eval', 'stack overflow; max-call-depth exceeded'));
  });

  test('on a small stack deep recursion is a NixError, never a RangeError', () => {
    const ev = createEvaluator({ cwd: dir });
    let err: unknown;
    try {
      ev.evalExpr(deep(9000), dir);
    } catch (e) {
      err = e;
    }
    // Either it fits, or it is Nix's stack-overflow error.
    if (err !== undefined) {
      expect(err).toBeInstanceOf(NixError);
      expect((err as NixError).message).toBe('stack overflow; max-call-depth exceeded');
    }
  });

  test('a deep chain of imports', async () => {
    expect(await evalCommandOnBigStack({ cwd: dir, expr: 'import ./fixtures/chain/c0.nix' })).toBe('30');
  });

  test('errors from the worker keep their span and trace', async () => {
    const err = await evalCommandOnBigStack({ cwd: dir, expr: 'let f = x: x.a; in f { }' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NixError);
    const e = err as NixError;
    expect(e.message).toBe("attribute 'a' missing");
    expect(e.span?.line).toBe(1);
    expect(e.trace.map((t) => t.message)).toContain("while calling 'f'");
  });
});

describe('paths into the store and contexts (the bridge hook, faked)', () => {
  beforeEach(() => setHooks({ copyPathToStore: (p) => `/nix/store/00000000000000000000000000000000-${path.basename(p)}` }));
  afterEach(() => resetHooks());
  const ev = createEvaluator({ cwd: dir });
  const ctx = (v: unknown) => (v instanceof NixString ? [...v.context].sort() : []);

  test('interpolating a path copies it and records the context', () => {
    const v = ev.evalExpr('"${./fixtures/simple.nix}"', dir);
    expect(v).toEqual(new NixString('/nix/store/00000000000000000000000000000000-simple.nix',
      new Set(['/nix/store/00000000000000000000000000000000-simple.nix'])));
  });

  test('contexts survive concatenation, interpolation, toString and outPath coercion', () => {
    expect(ctx(ev.evalExpr('"a" + "${./x}" + "b"', dir))).toEqual(['/nix/store/00000000000000000000000000000000-x']);
    expect(ctx(ev.evalExpr('let s = "${./x}"; in "pre ${s} ${"${./y}"}"', dir)))
      .toEqual(['/nix/store/00000000000000000000000000000000-x', '/nix/store/00000000000000000000000000000000-y']);
    expect(ctx(ev.evalExpr('toString { outPath = "${./x}"; }', dir))).toEqual(['/nix/store/00000000000000000000000000000000-x']);
    expect(ctx(ev.evalExpr('"${{ __toString = _: "${./z}"; }}"', dir))).toEqual(['/nix/store/00000000000000000000000000000000-z']);
    expect(ctx(ev.evalExpr('toString [ "${./x}" "${./y}" ]', dir))).toHaveLength(2);
    expect(ctx(ev.evalExpr('"a" + ./x', dir))).toEqual(['/nix/store/00000000000000000000000000000000-x']);
  });

  test('a path cannot be extended with a string that has a context', () => {
    expect(() => ev.evalExpr('./a + "${./b}"', dir))
      .toThrow(new NixError('eval', 'a string that refers to a store path cannot be appended to a path'));
  });

  test('without the bridge, copying a path is a clear error', () => {
    resetHooks();
    expect(() => ev.evalExpr('"${./fixtures/simple.nix}"', dir)).toThrow(/copying the path '.*\/simple.nix' to the store needs Nix/);
    expect(() => ev.evalExpr('"${./x}"', dir)).toThrow(new NixError('eval', `path '${dir}/x' does not exist`));
  });
});

describe('errors carry spans and traces', () => {
  const ev = createEvaluator({ cwd: dir });
  const fail = (expr: string): NixError => {
    try {
      ev.forceDeep(ev.evalExpr(expr, dir));
    } catch (e) {
      return e as NixError;
    }
    throw new Error('no error');
  };

  test('the innermost position wins', () => {
    const e = fail('let\n  f = x:\n    x + "a";\nin f 1');
    expect(e.message).toBe('cannot add a string to an integer');
    expect([e.span?.line, e.span?.column]).toEqual([3, 9]);
    expect(e.trace.map((t) => t.message)).toContain("while calling 'f'");
  });

  test('missing attributes suggest close names', () => {
    const e = fail('{ foo = 1; bar = 2; }.fooo');
    expect(e.message).toBe("attribute 'fooo' missing");
    expect(e.hints).toEqual(['Did you mean foo?']);
  });

  test('type errors name the context of the operation', () => {
    const e = fail('if "x" then 1 else 2');
    expect(e.trace[0].message).toBe('while evaluating a branch condition');
  });
});

describe('import', () => {
  test('is cached per path', () => {
    const ev = createEvaluator({ cwd: dir });
    const a = ev.evalFile(path.join(fixtures, 'simple.nix'));
    const b = ev.evalExpr('import ./fixtures/simple.nix', dir);
    const c = ev.evalFile(path.join(fixtures, 'dir'));
    expect(a).toBe(b);
    expect(c).toBe(ev.evalFile(path.join(fixtures, 'dir/default.nix')));
  });
});
