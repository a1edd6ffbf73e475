/**
 * `pkgs.substituteAll { src, ... }` (removed from nixpkgs in 2025, still in many
 * files, so package sets that keep it get this plugin): every argument whose
 * name is a lowercase shell variable name replaces `@name@` in `src`, with the
 * value a derivation attribute gets (true → "1", false → "", lists joined by
 * spaces; null sets no variable, as mkDerivation ignores nulls). `dir` and
 * `isExecutable` place the result as substitute-all.sh does. Variables only
 * the build knows (`@out@`) stay as they are in the preview.
 */
import { optional, readArgSet, required, t, Place } from '../schema.js';
import type { BuilderPlugin, BuilderPreview, StoreObject } from '../types.js';
import { plainPreviewEnv, plainText } from '../types.js';
import { baseNameOf, knownText } from '../knownText.js';
import { checkStoreName } from '../storeName.js';
import { srcBaseName } from './replaceVars.js';
import { substVars, type Substitution } from './substitute.js';

export interface SubstituteAllSpec {
  readonly src: StoreObject;
  /** Explicit `name`, else `baseNameOf (toString src)`. */
  readonly name: string | null;
  readonly dir: string | null;
  readonly isExecutable: boolean;
  /** Every argument that substitutes (but `name`, known at preview), in Nix's name order. */
  readonly vars: readonly Substitution[];
}

const args = {
  src: required(t.pathLike),
  name: optional(t.nullable(t.string), null),
  dir: optional(t.nullable(t.stringCoercible(true)), null),
  isExecutable: optional(t.nullable(t.stringCoercible(true)), null),
};

/** The variables `substituteAll` replaces: environment names starting with a lowercase letter. */
const substitutable = /^[a-z][a-zA-Z0-9_]*$/;

export const substituteAll: BuilderPlugin<SubstituteAllSpec> = {
  attrPath: 'substituteAll',
  arity: 1,
  toSpec([arg], span) {
    const read = readArgSet('substituteAll', args, arg, span, { ellipsis: true });
    const v = read.values;
    const vars: Substitution[] = [];
    // substitute-all.nix sets these two; an argument of the same name wins.
    const implicit = new Map([['preferLocalBuild', plainText('1')], ['allowSubstitutes', plainText('')]]);
    const coercible = t.stringCoercible(true);
    for (const [name, given] of read.extra) {
      // Every argument becomes a derivation attribute, so each must convert to a string.
      const place = new Place('substituteAll', `argument '${name}'`, given.span ?? span);
      implicit.delete(name);
      // mkDerivation sets __ignoreNulls: a null argument is no variable at all.
      if (place.force(given.value) === null) continue;
      const value = coercible.read(given.value, place);
      if (substitutable.test(name)) vars.push({ name, value });
    }
    for (const [name, value] of implicit) vars.push({ name, value });
    if (v.dir) vars.push({ name: 'dir', value: v.dir });
    if (v.isExecutable) vars.push({ name: 'isExecutable', value: v.isExecutable });
    vars.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const name = v.name?.text ?? (v.src.kind === 'path' ? baseNameOf(v.src.path) : undefined);
    if (name !== undefined) checkStoreName('substituteAll', name, read.spans.name ?? read.spans.src ?? span);
    return {
      src: v.src,
      name: v.name?.text ?? null,
      dir: v.dir?.text || null,
      isExecutable: (v.isExecutable?.text ?? '') !== '',
      vars,
    };
  },
  preview(spec, env = plainPreviewEnv): BuilderPreview {
    const name = spec.name ?? srcBaseName(spec.src, env);
    // `name` is an environment variable of the build too, given or computed.
    const vars = [...spec.vars, { name: 'name', value: plainText(name) }];
    const text = knownText(spec.src, env);
    return {
      name,
      destination: spec.dir ? `/${spec.dir}/${name}` : '',
      text: text === undefined ? undefined : substVars(text, vars, env),
      executable: spec.isExecutable,
      output: spec.dir ? 'directory' : 'file',
      problems: [],
    };
  },
};
