/**
 * The builtins the language itself needs (import, scopedImport, the
 * search-path primitives, derivation), and the fetchers no family implements
 * yet, which fail with a clear "needs Nix" error. Those fetchers are declared
 * as placeholders: a family file declaring the same name wins, whatever the
 * order in which the files are imported.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { type Lazy, NixList, NixPath, isForeign } from '../value/index.js';
import { force, forceAttrs, forceList, forceString } from '../value/force.js';
import { coerceToPath, coerceToString, stringText } from '../value/string.js';
import { attrsFromRecord } from '../value/attrs.js';
import { hooks, needsNix } from '../value/hooks.js';
import { currentState } from '../interp/state.js';
import { findInSearchPath } from '../searchPath.js';
import { defineBuiltin, defineConstant } from './registry.js';
import { derivationValue } from './derivations.js';

/** The file an `import`-like builtin reads: a path, or a string/set coercible to an absolute path. */
function importPath(v: Lazy, span: Span | undefined, ctx: string): string {
  const x = force(v);
  if (x instanceof NixPath) return x.path;
  const { path, context } = coerceToPath(x, span, ctx);
  // `import "${drv}/file.nix"`: what the context names must be built first (the bridge).
  return context.size ? hooks.realisePath(path, context, span) : path;
}

defineBuiltin({
  name: 'import', arity: 1, global: true,
  doc: 'Loads, parses and evaluates the Nix file at the given path (a directory means its default.nix).',
  fn: ([p], span) => {
    const x = force(p);
    if (isForeign(x)) throw new NixError('eval', `importing ${x.describe()} needs Nix (the nixpkgs bridge)`, span);
    const path = importPath(x, span, 'while evaluating the first argument passed to builtins.import');
    const hooked = hooks.importHook(path, span);
    if (hooked !== undefined) return hooked;
    return currentState().importFile(path, span);
  },
});

defineBuiltin({
  name: 'scopedImport', arity: 2, global: true,
  doc: 'Like import, with the attributes of the first argument in scope of the imported file.',
  fn: ([scope, p], span) => {
    const set = forceAttrs(scope, span, 'while evaluating the first argument passed to builtins.scopedImport');
    const path = importPath(p, span, 'while evaluating the second argument passed to builtins.scopedImport');
    return currentState().scopedImport(set, path, span);
  },
});

defineBuiltin({
  name: 'findFile', arity: 2,
  doc: 'Looks a path up in a search path given as a list of { prefix, path } sets.',
  fn: ([sp, name], span) => {
    const entries = forceList(sp, span, 'while evaluating the first argument passed to builtins.findFile');
    const wanted = forceString(name, span, 'while evaluating the second argument passed to builtins.findFile');
    const list = entries.items.map((e) => {
      const set = forceAttrs(e, span, 'while evaluating an element of the list passed to builtins.findFile');
      const prefix = set.get('prefix');
      const path = set.get('path');
      if (path === undefined) throw new NixError('eval', "attribute 'path' missing", span);
      // Nix coerces `path` (a path value is fine) without copying it to the store.
      const where = stringText(coerceToString(path, span, {}, 'while evaluating the `path` attribute of an element of the list passed to builtins.findFile'));
      return { prefix: prefix === undefined ? '' : forceString(prefix, span), path: where };
    });
    return new NixPath(findInSearchPath(list, wanted, span));
  },
});

defineConstant({
  name: 'nixPath', doc: 'The search path, as a list of { prefix, path } sets.',
  value: () => new NixList(parseEntries(currentState().searchPath).map((e) => attrsFromRecord({ prefix: e.prefix, path: e.path }))),
});

function parseEntries(entries: readonly string[]): { prefix: string; path: string }[] {
  return entries.map((e) => {
    const i = e.indexOf('=');
    return i >= 0 ? { prefix: e.slice(0, i), path: e.slice(i + 1) } : { prefix: '', path: e };
  });
}

defineBuiltin({
  name: 'derivation', arity: 1, global: true,
  doc: 'Describes a build action (needs Nix: done by the nixpkgs bridge).',
  fn: ([attrs], span) => {
    const set = forceAttrs(attrs, span, 'while evaluating the argument passed to builtins.derivation');
    return hooks.derivation ? hooks.derivation(set, span) : derivationValue(set, span);
  },
});

/**
 * Fetchers only the network can answer that no family implements (fetchurl,
 * fetchTarball and fetchGit are in store.ts, fetchTree in flakeRefs.ts).
 */
const FETCHERS: ReadonlyArray<[string, boolean]> = [['fetchMercurial', true], ['fetchClosure', false]];

for (const [name, global] of FETCHERS) {
  defineBuiltin({
    name, arity: 1, global, placeholder: true,
    doc: `builtins.${name} (needs Nix: done by the nixpkgs bridge).`,
    fn: (_args, span) => { throw needsNix(`builtins.${name}`, span); },
  });
}
