/**
 * Which names tsportable's default package set (nix/pkgs) has, known without
 * running Nix, from the set's own Nix files evaluated natively: the names of
 * `all-packages.nix` (its own packages), and below them the host's programs
 * by name (`host/programs.nix`), which the set makes into closed packages
 * when selected. Real Nix reads the same two files when it evaluates the set,
 * so both agree on what `pkgs.php` is.
 *
 * The bridge uses this to say, at the selection, that a package comes from
 * the host (one notice per name), and to fail there with Nix's
 * missing-attribute error and a hint when neither the set nor the host has
 * the name, instead of in a Nix batch later. Only a set made without
 * overlays is judged: an overlay may add any name.
 */
import { join } from 'node:path';
import { evalSettings } from '../eval/settings.js';
import { NixAttrs, type Value } from '../eval/value/index.js';
import { callFunction } from '../eval/value/call.js';
import { forceAttrs, forceList, forceString } from '../eval/value/force.js';

export type DefaultSetName =
  | { readonly kind: 'own' }
  /** A host program the set makes a package of; `path` is where the host has it. */
  | { readonly kind: 'host'; readonly path: string }
  | { readonly kind: 'none' };

export interface DefaultSetNames {
  lookup(name: string): DefaultSetName;
  /** The set's own names, for "did you mean" hints. */
  own(): readonly string[];
  /** Where the host's programs are looked for, in order. */
  hostDirs(): readonly string[];
}

export function defaultSetNames(setDir: string, importNative: (path: string) => Value): DefaultSetNames {
  let own: Set<string> | undefined;
  let host: { dirs: string[]; programs: NixAttrs } | undefined;

  const ownNames = (): Set<string> => {
    if (!own) {
      // all-packages.nix is a function of the set; its names do not depend on the arguments.
      const fn = importNative(join(setDir, 'all-packages.nix'));
      const stub = new NixAttrs(new Map(['lib', 'system', 'config', 'final', 'setArgs'].map((n) => [n, null])));
      own = new Set(forceAttrs(callFunction(fn, [stub])).sortedNames());
    }
    return own;
  };

  const hostFile = () => {
    if (!host) {
      const file = forceAttrs(importNative(join(setDir, 'host', 'programs.nix')));
      host = { dirs: forceList(file.get('dirs')!).items.map((d) => forceString(d)), programs: forceAttrs(file.get('programs')!) };
    }
    return host;
  };
  // programs.nix reads the host only where `getEnv` gives the environment; the settings say so here
  // (they may change between documents in the language server, so they are asked at each lookup).
  const hostProgram = (name: string): string | undefined => {
    if (evalSettings.pureEval || evalSettings.restrictEval) return undefined;
    const path = hostFile().programs.get(name);
    return path === undefined ? undefined : forceString(path);
  };

  return {
    lookup(name) {
      if (ownNames().has(name)) return { kind: 'own' };
      const path = hostProgram(name);
      return path === undefined ? { kind: 'none' } : { kind: 'host', path };
    },
    own: () => [...ownNames()],
    hostDirs: () => hostFile().dirs,
  };
}
