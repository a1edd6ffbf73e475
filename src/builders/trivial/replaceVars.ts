/**
 * `pkgs.replaceVars src replacements`: `src` with every `@name@` replaced by
 * its value (null keeps it). The derivation is named `baseNameOf (toString src)`:
 * the file's name for a local file, the store path's base name (hash included)
 * for a store object, as nixpkgs does.
 */
import { positional, readPositional, t } from '../schema.js';
import type { BuilderPlugin, BuilderPreview, PreviewEnv, StoreObject } from '../types.js';
import { plainPreviewEnv } from '../types.js';
import { baseNameOf, knownText } from '../knownText.js';
import { checkStoreName } from '../storeName.js';
import { replaceFail, type Substitution } from './substitute.js';

export interface ReplaceVarsSpec {
  readonly src: StoreObject;
  readonly replacements: readonly Substitution[];
}

/** `baseNameOf (toString src)`, as far as it is known without Nix. */
export function srcBaseName(src: StoreObject, env: PreviewEnv): string {
  if (src.kind === 'path') return baseNameOf(src.path);
  if (src.kind !== 'string' && src.builtBy) {
    // A store path's base name is `<hash>-<name>`; the hash is Nix's to compute.
    return `\${hash}-${src.builtBy.plugin.preview(src.builtBy.spec, env).name}`;
  }
  return baseNameOf(env.renderText(src.outPath));
}

export const replaceVars: BuilderPlugin<ReplaceVarsSpec> = {
  attrPath: 'replaceVars',
  arity: 2,
  toSpec(args, span) {
    const [src, replacements] = readPositional('replaceVars', [
      positional('src', t.pathLike),
      positional('replacements', t.attrsOf(t.nullable(t.stringCoercible(true)), 'strings or nulls')),
    ], args, span);
    // The name is baseNameOf src: a local file's name must be a valid store name too.
    if (src.kind === 'path') checkStoreName('replaceVars', baseNameOf(src.path), span, 'the file name');
    return { src, replacements: replacements.map((r) => ({ name: r.name, value: r.value })) };
  },
  preview(spec, env = plainPreviewEnv): BuilderPreview {
    const name = srcBaseName(spec.src, env);
    const text = knownText(spec.src, env);
    if (text === undefined) return { name, output: 'file', problems: [] };
    const done = replaceFail('replaceVars', text, spec.replacements, spec.src.describe, env);
    return { name, text: done.text, output: 'file', problems: done.problems };
  },
};
