/**
 * Start-up: what every command pays before doing anything. `tsportable
 * --version` and `tsportable eval -E 1` against `node -e 0` (Node's own
 * start-up, the floor for any Node program) and `nix-instantiate --eval -E 1`,
 * as fresh processes, alternating, median of several runs. Goal: at most
 * 1.5x `node -e 0`.
 */
import { alternate, cli, loadAverage, outcome } from './measure.js';
import type { BenchRow } from './main.js';

const enum Tuning {
  /** Runs per program; the median is reported. */
  Runs = 11,
  /** The most each command may take, in multiples of `node -e 0`. */
  Goal = 1.5,
}

export async function bench(): Promise<BenchRow[]> {
  const before = loadAverage();
  // Node reads NODE_EXTRA_CA_CERTS's certificates at every start (the command does not: bin/tsportable.js);
  // where it is set, node -e 0 is also timed without it.
  const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
  const [node, version, eval1, nix, bare] = await alternate([
    { file: process.execPath, args: ['-e', '0'] },
    { file: cli, args: ['--version'] },
    { file: cli, args: ['eval', '-E', '1'] },
    { file: 'nix-instantiate', args: ['--eval', '-E', '1'] },
    ...(extraCaCerts ? [{ file: process.execPath, args: ['-e', '0'], options: { env: { NODE_EXTRA_CA_CERTS: '' } } }] : []),
  ], Tuning.Runs);
  const wrong = (r: typeof eval1, expected: RegExp) => (expected.test(outcome(r.last)) ? undefined : `unexpected output: ${outcome(r.last).slice(0, 80)}`);
  return [
    { name: 'node -e 0 (baseline)', value: node.ms, unit: 'ms', note: bare && `NODE_EXTRA_CA_CERTS is set (${extraCaCerts}); without it: ${bare.ms.toFixed(1)} ms` },
    { name: 'tsportable --version', value: version.ms, unit: 'ms', note: wrong(version, /^tsportable \d/) },
    { name: 'tsportable --version / node -e 0', value: version.ms / node.ms, unit: 'x', goal: Tuning.Goal },
    { name: 'tsportable eval -E 1', value: eval1.ms, unit: 'ms', note: wrong(eval1, /^1$/) },
    { name: 'tsportable eval -E 1 / node -e 0', value: eval1.ms / node.ms, unit: 'x', goal: Tuning.Goal },
    { name: 'nix-instantiate --eval -E 1', value: nix.ms, unit: 'ms' },
    { name: 'tsportable eval -E 1 / nix-instantiate', value: eval1.ms / nix.ms, unit: 'x' },
    { name: 'load average (1 min), after', value: Number(loadAverage()), unit: '', note: `before: ${before}` },
  ];
}
