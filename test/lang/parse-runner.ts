/**
 * Runs Nix's own parser tests (tests/functional/lang of a NixOS/nix checkout)
 * against tsportable's parser:
 *   node dist/test/lang/parse-runner.js /path/to/nix/tests/functional/lang
 * - parse-okay-X.nix must parse, and printExpr must equal parse-okay-X.exp;
 * - parse-fail-X.nix must fail; the message and position are compared with the
 *   first lines of parse-fail-X.err.exp and counted separately.
 * Nix runs these as `nix-instantiate --parse - < file` from tests/functional,
 * with that directory shown as /pwd: the same base and name are used here.
 * Failures that come from undefined variables are counted apart: that check
 * belongs to the evaluator's scope pass, not to the parser.
 * Exit code 1 when a parse-okay case fails or a parse-fail case parses.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { decodeBytes } from '../../src/eval/value/bytes.js';
import { join } from 'node:path';
import { parseNix } from '../../src/eval/syntax/parse.js';
import { printExpr } from '../../src/eval/syntax/print.js';
import { isNixError } from '../../src/eval/errors.js';

interface Counts { okayPass: number; okayFail: number; failPass: number; failFail: number; failScope: number; messageMatch: number }

function run(dir: string): Counts {
  const counts: Counts = { okayPass: 0, okayFail: 0, failPass: 0, failFail: 0, failScope: 0, messageMatch: 0 };
  const files = readdirSync(dir).filter((f) => /^parse-(okay|fail)-.*\.nix$/.test(f)).sort();
  for (const file of files) {
    const name = file.slice(0, -4);
    const text = decodeBytes(readFileSync(join(dir, file)));
    let printed: string | undefined;
    let error: unknown;
    try {
      printed = printExpr(parseNix(text, '«stdin»', { baseDir: '/pwd', home: '/home' }));
    } catch (e) {
      error = e;
    }
    if (error !== undefined && !isNixError(error)) {
      console.log(`CRASH ${name}: ${error instanceof Error ? error.stack : String(error)}`);
    }
    if (name.startsWith('parse-okay-')) {
      const expected = readFileSync(join(dir, `${name}.exp`), 'utf8').trimEnd();
      if (printed === expected) counts.okayPass++;
      else {
        counts.okayFail++;
        console.log(`FAIL ${name}\n  expected: ${expected}\n  got:      ${printed ?? (error as Error).message}`);
      }
      continue;
    }
    const errFile = join(dir, `${name}.err.exp`);
    const expectedErr = existsSync(errFile) ? readFileSync(errFile, 'utf8').split('\n') : [];
    const expectedMessage = (expectedErr[0] ?? '').replace(/^error: /, '');
    if (error === undefined) {
      if (/undefined variable/.test(expectedMessage)) counts.failScope++;
      else {
        counts.failPass++;
        console.log(`FAIL ${name}: parsed, but Nix says: ${expectedMessage}\n  printed: ${printed}`);
      }
      continue;
    }
    counts.failFail++;
    if (isNixError(error)) {
      const where = error.span ? `at «stdin»:${error.span.line}:${error.span.column}:` : '';
      const expectedWhere = (expectedErr[1] ?? '').trim();
      if (error.message === expectedMessage && where === expectedWhere) counts.messageMatch++;
      else console.log(`MESSAGE ${name}\n  nix: ${expectedMessage} ${expectedWhere}\n  us:  ${error.message} ${where}`);
    }
  }
  return counts;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node dist/test/lang/parse-runner.js NIX_CHECKOUT/tests/functional/lang');
  process.exit(2);
}
const c = run(dir);
console.log(`parse-okay: ${c.okayPass} passed, ${c.okayFail} failed`);
console.log(`parse-fail: ${c.failFail} failed as expected (${c.messageMatch} with Nix's exact message and position), ` +
  `${c.failPass} wrongly parsed, ${c.failScope} left to the scope pass (undefined variables)`);
process.exit(c.okayFail > 0 || c.failPass > 0 ? 1 : 0);
