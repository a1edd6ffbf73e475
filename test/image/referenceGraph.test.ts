/**
 * The image's closures come from one `nix-store --query --graph`: the closure
 * of any subset of the queried paths, computed from the graph, is what
 * `nix-store --query --requisites` gives for that subset.
 */
import { closureIn, referenceGraph, requisites } from '../../src/image/index.js';
import { NixError } from '../../src/eval/errors.js';
import { makeFixture, type Fixture } from './fixture.js';

let fx: Fixture;

beforeAll(async () => {
  fx = await makeFixture();
});

test('closures of subsets of the graph equal nix-store\'s requisites', async () => {
  const all = [fx.service, fx.extra, fx.unrelated];
  const graph = await referenceGraph(all);
  for (const subset of [[fx.service], [fx.wrapper], [fx.extra], [fx.lib, fx.unrelated], all]) {
    expect(closureIn(graph, subset)).toEqual(await requisites(subset));
  }
  // The service's closure holds the wrapper, which holds pkg and lib: depth 2.
  expect(closureIn(graph, [fx.service])).toEqual([fx.service, fx.wrapper, fx.pkg, fx.lib].sort());
});

test('a path outside the queried closure is an error, not a short closure', async () => {
  const graph = await referenceGraph([fx.service]);
  expect(() => closureIn(graph, [fx.unrelated])).toThrow(NixError);
});

test('no paths: an empty graph without a query', async () => {
  expect((await referenceGraph([])).size).toBe(0);
});
