/**
 * The evaluator against the real nix-instantiate: every ok case must print
 * (`--eval --strict`) and serialise (`--json`) exactly as Nix does; every
 * error case must fail in Nix too, and fail here with current Nix's message
 * and the right kind of error.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEvaluator } from '../../src/eval/index.js';
import { NixError } from '../../src/eval/errors.js';
import { okCases, errorCases } from './cases.js';
import { nixPrint, nixJson, nixFailures } from './nix.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = path.join(root, 'test/eval');

const all = Object.entries(okCases).flatMap(([group, exprs]) => exprs.map((expr) => ({ group, expr })));

describe('ok cases agree with nix-instantiate --eval --strict', () => {
  const ev = createEvaluator({ cwd: dir });
  const ours = all.map(({ expr }) => {
    try {
      return ev.printValue(ev.evalExpr(expr, dir), { strict: true });
    } catch (e) {
      return `ERROR: ${(e as Error).message}`;
    }
  });

  test(`printed form of ${all.length} cases`, async () => {
    const theirs = await nixPrint(`[\n${all.map((c) => `(${c.expr})`).join('\n')}\n]`, dir);
    if (theirs !== `[ ${ours.join(' ')} ]`) {
      // Find the first case that differs, for a readable failure.
      let rest = theirs.slice(2);
      for (let i = 0; i < all.length; i++) {
        const want = rest.slice(0, ours[i].length);
        expect({ expr: all[i].expr, printed: ours[i] }).toEqual({ expr: all[i].expr, printed: want });
        rest = rest.slice(ours[i].length + 1);
      }
    }
    expect(theirs).toBe(`[ ${ours.join(' ')} ]`);
  });

  test('JSON form of the cases that have one', async () => {
    const jsonable = all.filter(({ expr }) => {
      try {
        ev.toJSON(ev.evalExpr(expr, dir));
        return true;
      } catch (e) {
        // Functions have no JSON form; paths need the store (the bridge's job), or must exist to be copied there;
        // bytes that are not UTF-8 have none in current Nix (2.8 wrote them as they are).
        expect((e as Error).message).toMatch(/cannot convert a function to JSON|needs Nix|path '.*' does not exist|JSON serialization error/);
        return false;
      }
    });
    expect(jsonable.length).toBeGreaterThan(all.length * 0.8);
    const theirs = await nixJson(`[\n${jsonable.map((c) => `(${c.expr})`).join('\n')}\n]`, dir) as unknown[];
    jsonable.forEach(({ expr }, i) => {
      const json = sixDigits(JSON.parse(ev.toJSON(ev.evalExpr(expr, dir))));
      expect({ expr, json }).toEqual({ expr, json: sixDigits(theirs[i]) });
    });
  });
});

/**
 * Nix 2.8 writes floats in JSON with six significant digits; current Nix
 * writes the shortest form that reads back exactly, which tsportable follows.
 * To compare with 2.8, numbers on both sides are rounded the same way (the
 * printed-form test checks exact ints and floats).
 */
function sixDigits(v: unknown): unknown {
  if (typeof v === 'number') return Number(v.toPrecision(6));
  if (Array.isArray(v)) return v.map(sixDigits);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sixDigits(x)]));
  return v;
}

describe('error cases', () => {
  const ev = createEvaluator({ cwd: dir });

  test('fail in Nix as well', async () => {
    const failing = errorCases.filter((c) => !c.nix28Succeeds);
    const results = await nixFailures(failing.map((c) => c.expr), dir);
    failing.forEach((c, i) => expect({ expr: c.expr, fails: results[i] !== undefined }).toEqual({ expr: c.expr, fails: true }));
  });

  test.each(errorCases.map((c) => [c.expr, c] as const))('%s', (_name, c) => {
    let err: unknown;
    try {
      ev.forceDeep(ev.evalExpr(c.expr, dir));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NixError);
    const e = err as NixError;
    expect({ message: e.message, kind: e.kind }).toEqual({ message: c.message.replace('$DIR', dir), kind: c.kind });
  });
});
