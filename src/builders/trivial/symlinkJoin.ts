/**
 * `pkgs.symlinkJoin { name | pname+version, paths, stripPrefix ? "", postBuild ? "", ... }`:
 * a directory of symlinks into every path. `paths` may nest lists and hold
 * nulls (nixpkgs skips them), so it is read with its own small type.
 */
import { NixError } from '../../eval/errors.js';
import { NixList } from '../../eval/value/index.js';
import { optional, readArgSet, required, t, type ArgType } from '../schema.js';
import type { BuilderPlugin, StoreObject } from '../types.js';
import { checkStoreName } from '../storeName.js';

export interface SymlinkJoinSpec {
  readonly name: string;
  readonly paths: readonly StoreObject[];
  readonly stripPrefix: string;
}

/** A list of path-likes, nested lists flattened and nulls skipped, as symlinkJoin's mapPaths does. */
const paths: ArgType<StoreObject[]> = {
  expected: 'a list of paths or derivations',
  read(v, place) {
    const x = place.force(v);
    if (!(x instanceof NixList)) return place.mismatch(this.expected, x);
    return x.items.flatMap((e, i) => {
      const item = place.force(e);
      if (item === null) return [];
      const at = place.element(i, this.expected);
      return item instanceof NixList ? paths.read(item, at) : [t.pathLike.read(item, at)];
    });
  },
};

const args = {
  name: optional(t.nullable(t.string), null),
  pname: optional(t.nullable(t.string), null),
  version: optional(t.nullable(t.string), null),
  paths: required(paths),
  stripPrefix: optional(t.string, { text: '', context: [] }),
  postBuild: optional(t.string, { text: '', context: [] }),
  preferLocalBuild: optional(t.bool, true),
  allowSubstitutes: optional(t.bool, false),
  failOnMissing: optional(t.bool, false),
};

export const symlinkJoin: BuilderPlugin<SymlinkJoinSpec> = {
  attrPath: 'symlinkJoin',
  arity: 1,
  toSpec([arg], span) {
    const { values, spans } = readArgSet('symlinkJoin', args, arg, span, { ellipsis: true });
    let name = values.name?.text;
    if (name === undefined) {
      if (!values.pname || !values.version) {
        throw new NixError('assert', 'symlinkJoin requires either a `name` OR `pname` and `version`', span);
      }
      name = `${values.pname.text}-${values.version.text}`;
    }
    checkStoreName('symlinkJoin', name, spans.name ?? span);
    const strip = values.stripPrefix.text;
    if (strip !== '' && (!strip.startsWith('/') || strip === '/')) {
      throw new NixError('assert',
        'symlinkJoin: stripPrefix must be either an empty string (disable stripping behavior), or relative path prefixed with /.\n\n'
        + 'Ensure that the path starts with / and specifies path to the subdirectory.', spans.stripPrefix ?? span);
    }
    return { name, paths: values.paths, stripPrefix: strip };
  },
  preview(spec) {
    return { name: spec.name, output: 'directory', problems: [] };
  },
};
