/**
 * Evaluates a Nix file the way `tsportable show` does (the evaluator, the
 * nixpkgs bridge, the portableService builder) and returns its plan with the
 * checks' warnings, and how many Nix processes that took.
 */
import { createBridge } from '../../src/bridge/index.js';
import { planPortableService, portableServiceSpecOf } from '../../src/builders/index.js';
import { createEvaluator, type Evaluator } from '../../src/eval/index.js';
import { NixAttrs } from '../../src/eval/value/index.js';
import { withChecks, type ShowPlan } from '../../src/show/index.js';

export interface PlanResult {
  readonly plan: ShowPlan;
  readonly nixProcesses: number;
}

export function planOf(file: string, attrPath?: string): PlanResult {
  let evaluator: Evaluator | undefined;
  const bridge = createBridge({ searchPath: [], importNative: (p) => evaluator!.evalFile(p), notice: () => {}, progress: false });
  evaluator = createEvaluator({ searchPath: bridge.searchPath });
  bridge.install();
  const top = evaluator.autoCall(evaluator.evalFile(file), new Map());
  const value = evaluator.force(attrPath ? evaluator.selectAttrPath(top, attrPath) : top);
  const spec = portableServiceSpecOf(value);
  if (!spec) throw new Error(`${file}${attrPath ? ` -A ${attrPath}` : ''} is not a portableService`);
  const counts = bridge.runner.counts;
  return { plan: withChecks(planPortableService(spec, bridge)), nixProcesses: counts['nix-instantiate'] + counts['nix-store'] };
}

/**
 * The images a file describes, as nix-build sees them: the file's value when it
 * is a portableService, else each attribute that is one (`-A name`).
 */
export function imagesOf(file: string): (string | undefined)[] {
  let evaluator: Evaluator | undefined;
  const bridge = createBridge({ searchPath: [], importNative: (p) => evaluator!.evalFile(p), notice: () => {}, progress: false });
  evaluator = createEvaluator({ searchPath: bridge.searchPath });
  bridge.install();
  const top = evaluator.force(evaluator.autoCall(evaluator.evalFile(file), new Map()));
  if (portableServiceSpecOf(top) || !(top instanceof NixAttrs)) return [undefined];
  return top.sortedNames().filter((name) => portableServiceSpecOf(evaluator!.force(evaluator!.selectAttrPath(top, name))));
}
