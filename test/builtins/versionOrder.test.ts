/**
 * compareVersions / splitVersion / parseDrvName rules against real Nix:
 * "pre" ordering, letters below numbers, missing components, huge numbers
 * that are not 32-bit ints, and the first dash not followed by a letter.
 */
import { compareVersionStrings, splitDrvName, versionComponents } from '../../src/eval/builtins/versionOrder.js';
import { nixJsonBatch } from './nixOracle.js';

const PAIRS: Array<[string, string]> = [
  ['1.0', '2.3'], ['2.1', '2.3'], ['2.3', '2.3'], ['2.5', '2.3'], ['3.1', '2.3'], ['2.3.1', '2.3'],
  ['2.3.1', '2.3a'], ['2.3pre1', '2.3'], ['2.3pre3', '2.3pre12'], ['2.3a', '2.3c'], ['2.3pre1', '2.3c'],
  ['2.3pre1', '2.3q'], ['1.0', '1.0.0'], ['1.0-rc1', '1.0'], ['', '1'], ['a', 'b'], ['1.99999999999', '1.2'],
  ['2.31.2', '2.18'], ['1.2.3', '1-2-3'], ['unstable-2024-01-01', '1.0'],
];

const NAMES = ['nix-0.12pre12876', 'apache-httpd-2.0.48', 'hello', 'foo-bar-baz', 'a-1', 'x--1', 'python3.11-foo-1.2'];

describe('version ordering', () => {
  test('compareVersions and splitVersion agree with Nix', async () => {
    const exprs = PAIRS.map(([a, b]) => `builtins.compareVersions ${JSON.stringify(a)} ${JSON.stringify(b)}`);
    const splits = PAIRS.flat().map((a) => `builtins.splitVersion ${JSON.stringify(a)}`);
    const got = await nixJsonBatch([...exprs, ...splits]);
    PAIRS.forEach(([a, b], i) => expect({ a, b, r: compareVersionStrings(a, b) }).toEqual({ a, b, r: got[i] }));
    PAIRS.flat().forEach((a, i) => expect({ a, r: versionComponents(a) }).toEqual({ a, r: got[exprs.length + i] }));
  });

  test('parseDrvName agrees with Nix', async () => {
    const got = await nixJsonBatch(NAMES.map((n) => `builtins.parseDrvName ${JSON.stringify(n)}`));
    NAMES.forEach((n, i) => expect(splitDrvName(n)).toEqual(got[i]));
  });
});
