/**
 * One evaluation session for a command: the nixpkgs bridge and the evaluator,
 * wired to each other (the bridge needs the evaluator to evaluate `lib`
 * natively; the evaluator needs the bridge's hooks for everything that needs
 * the Nix store), and the top-level value selected the way nix-build and
 * nix-instantiate select it.
 */
import { createBridge, type Bridge } from '../bridge/index.js';
import { portableServiceSpecOf, type PortableServiceSpec } from '../builders/index.js';
import { NixError } from '../eval/errors.js';
import { createEvaluator, type Evaluator } from '../eval/index.js';
import { NixAttrs, type Lazy } from '../eval/value/index.js';
import { showType } from '../eval/value/types.js';
import { autoArgsMap, evalRoot } from './autoArgs.js';
import type { EvalInput } from './evalInput.js';
import { noNixInvocation, optionArgs, type NixInvocation } from './nixOptions.js';

export interface Session {
  readonly ev: Evaluator;
  readonly bridge: Bridge;
  readonly autoArgs: Map<string, Lazy>;
}

/** `nix`: the command line's `--option`s and build flags, for the Nix processes the bridge runs. */
export function openSession(input: EvalInput, options: { readonly progress: boolean; readonly nix?: NixInvocation }): Session {
  let ev: Evaluator | undefined;
  const nix = options.nix ?? noNixInvocation;
  const bridge = createBridge({
    searchPath: input.searchPath,
    cwd: input.cwd,
    importNative: (path) => ev!.evalFile(path),
    lookupCaptured: (fn, name) => ev!.lookupCaptured(fn, name),
    progress: options.progress || nix.showBuildOutput,
    nixArgs: optionArgs(nix),
    realiseArgs: nix.realiseArgs,
  });
  bridge.install();
  ev = createEvaluator({ searchPath: bridge.searchPath, cwd: input.cwd });
  return { ev, bridge, autoArgs: autoArgsMap(ev, input) };
}

/** One image to build: the `-A` path it came from ('' for the top level) and its spec. */
export interface SelectedImage {
  readonly attrPath: string;
  readonly spec: PortableServiceSpec;
}

/**
 * nix-build's selection: the top-level value, called with its defaults and
 * the --arg/--argstr values when it is a function, then each -A path. A set
 * of several images needs -A, as there is one `result` per image.
 */
export function selectImages(session: Session, input: EvalInput): SelectedImage[] {
  const { ev, autoArgs } = session;
  const root = ev.autoCall(evalRoot(ev, input), autoArgs);
  const paths = input.attrPaths.length ? input.attrPaths : [''];
  return paths.map((attrPath) => {
    const v = attrPath === '' ? root : ev.force(ev.autoCall(ev.selectAttrPath(root, attrPath, autoArgs), autoArgs));
    const spec = portableServiceSpecOf(v);
    if (spec) return { attrPath, spec };
    const where = attrPath === '' ? 'the top-level value' : `attribute '${attrPath}'`;
    if (v instanceof NixAttrs) {
      const images = v.sortedNames().flatMap((name): SelectedImage[] => {
        const found = portableServiceSpecOf(ev.force(v.get(name)!));
        return found ? [{ attrPath: name, spec: found }] : [];
      });
      if (images.length === 1 && attrPath === '') return images[0]!;
      if (images.length > 1) {
        const names = images.map((i) => i.attrPath);
        throw new NixError('usage', `${where} holds several images (${names.join(', ')}); choose one with -A, e.g. -A ${names[0]}`);
      }
    }
    throw new NixError('eval', `${where} is not a portable service image: expected the result of pkgs.portableService, but found ${showType(v)}`);
  });
}
