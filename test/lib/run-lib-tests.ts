/**
 * Runs nixpkgs lib's own evaluation tests (lib/tests/misc.nix and friends)
 * with tsportable, on a local checkout of nix-community/nixpkgs.lib that is
 * never part of this repository, and prints each result with its time; with
 * `--nix`, also with real nix-instantiate, and whether the outputs agree
 * (our time is the evaluation inside the worker, Nix's its whole process).
 * Then the laziness figures: how many lib files `import <nixpkgs/lib>` with
 * three functions reads, against forcing every attribute of lib.
 * With `--modules`, also nixpkgs' module-system suite lib/tests/modules.sh,
 * with test/lib/shim/nix-instantiate first on PATH so that its calls go to
 * `tsportable eval` (a few minutes: one process per check).
 *
 *   node dist/test/lib/run-lib-tests.js CHECKOUT [--nix] [--modules] [--verbose]
 *
 * Exit code 0 when every suite printed its passing output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { evalLib, evalLibWithNix, type LibEvalResult } from './libEval.js';
import { isLibCheckout, lazinessProbes, libFilesRead, suiteRequest, suitesIn } from './libSuites.js';

function shown(r: LibEvalResult, verbose: boolean): string {
  const text = r.output ?? `error: ${r.error}`;
  return verbose || text.length <= 200 ? text : text.slice(0, 200) + '…';
}

/** The shim lives in the source tree (tsc copies no shell scripts): test/lib/shim from dist/test/lib. */
const shimDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/lib/shim');

interface ModulesResult { readonly pass: number; readonly fail: number; readonly failedAt: string[]; readonly ms: number }

/** Runs lib/tests/modules.sh, with tsportable (through the shim) or with Nix. */
async function runModulesSh(checkout: string, withShim: boolean): Promise<ModulesResult | undefined> {
  const script = path.join(checkout, 'lib/tests/modules.sh');
  if (!fs.existsSync(script)) return undefined;
  const PATH = withShim ? `${shimDir}:${process.env.PATH}` : process.env.PATH;
  const t = performance.now();
  const r = await execa('bash', [script], { reject: false, all: true, env: { PATH, NIX_PATH: '' } });
  const ms = performance.now() - t;
  const count = (word: string) => Number(new RegExp(`^(\\d+) ${word}$`, 'm').exec(r.all ?? '')?.[1] ?? NaN);
  const failedAt = [...(r.all ?? '').matchAll(/TEST FAILED\S* at (\S+)/g)].map((m) => m[1]!);
  return { pass: count('Pass'), fail: count('Fail'), failedAt, ms };
}

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const [dir] = argv.filter((a) => !a.startsWith('--'));
  if (!dir || !isLibCheckout(path.resolve(dir))) {
    process.stderr.write('usage: run-lib-tests CHECKOUT [--nix] [--modules] [--verbose]  (CHECKOUT: a nixpkgs or nixpkgs.lib tree with lib/default.nix)\n');
    return 2;
  }
  const checkout = path.resolve(dir);
  const withNix = flags.has('--nix');
  const verbose = flags.has('--verbose');
  let allPassed = true;
  process.stdout.write(`nixpkgs lib checkout: ${checkout}\n`);
  for (const suite of suitesIn(checkout)) {
    const req = suiteRequest(checkout, suite);
    const ours = await evalLib(req);
    const passed = ours.output !== undefined && suite.passing.includes(ours.output);
    allPassed &&= passed;
    process.stdout.write(`\n${suite.file}: ${passed ? 'PASS' : 'FAIL'}  tsportable ${ours.ms.toFixed(0)} ms\n  ${shown(ours, verbose)}\n`);
    if (withNix) {
      const nix = await evalLibWithNix(req);
      const same = nix.output !== undefined && nix.output === ours.output;
      process.stdout.write(`  nix-instantiate ${nix.ms.toFixed(0)} ms (ratio ${(ours.ms / nix.ms).toFixed(2)}x)`
        + `: ${same ? 'same output' : shown(nix, verbose)}\n`);
    }
  }
  const searchPath = [`nixpkgs=${checkout}`];
  const libFiles = (r: LibEvalResult) => libFilesRead(checkout, r.filesRead).length;
  const three = await evalLib({ expr: lazinessProbes.threeFunctions, cwd: checkout, searchPath, countReads: true });
  const all = await evalLib({ expr: lazinessProbes.allOfLib, cwd: checkout, searchPath, countReads: true });
  process.stdout.write(`\nlaziness: import <nixpkgs/lib> + 3 functions: ${libFiles(three)} lib files read, ${three.ms.toFixed(0)} ms`
    + ` (${shown(three, false)})\n          every lib attribute forced: ${libFiles(all)} lib files read, ${all.ms.toFixed(0)} ms (${shown(all, false)})\n`);
  if (verbose) process.stdout.write(`  lib files read for 3 functions: ${libFilesRead(checkout, three.filesRead).join(' ')}\n`);
  if (withNix) {
    const n3 = await evalLibWithNix({ expr: lazinessProbes.threeFunctions, cwd: checkout, searchPath });
    const nAll = await evalLibWithNix({ expr: lazinessProbes.allOfLib, cwd: checkout, searchPath });
    process.stdout.write(`  nix-instantiate: 3 functions ${n3.ms.toFixed(0)} ms (${shown(n3, false)}), every attribute ${nAll.ms.toFixed(0)} ms (${shown(nAll, false)})\n`);
  }
  if (flags.has('--modules')) {
    const ours = await runModulesSh(checkout, true);
    if (!ours) {
      process.stdout.write('\nlib/tests/modules.sh: not in this checkout\n');
    } else {
      allPassed &&= ours.fail === 0;
      process.stdout.write(`\nlib/tests/modules.sh: tsportable ${ours.pass} pass, ${ours.fail} fail (${(ours.ms / 1000).toFixed(0)} s)\n`);
      if (ours.failedAt.length) process.stdout.write(`  failed at: ${ours.failedAt.join(' ')}\n`);
      if (withNix) {
        const nix = (await runModulesSh(checkout, false))!;
        process.stdout.write(`  nix-instantiate: ${nix.pass} pass, ${nix.fail} fail (${(nix.ms / 1000).toFixed(0)} s)\n`);
      }
    }
  }
  return allPassed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
