/**
 * `pkgs.concatTextFile { name, files, executable ? false, destination ? "", ... }`
 * and its shorthand `pkgs.concatText name files`: `cat` of the files into one.
 * The text is known when every file's text is (local files, other plugins'
 * outputs); a file only Nix can build leaves it unknown.
 */
import { optional, positional, readArgSet, readPositional, required, t } from '../schema.js';
import type { BuilderPlugin, BuilderPreview, PreviewEnv, StoreObject } from '../types.js';
import { plainPreviewEnv } from '../types.js';
import { knownText } from '../knownText.js';
import { checkStoreName } from '../storeName.js';
import { concatBytes } from '../../eval/value/bytes.js';

export interface ConcatTextSpec {
  readonly name: string;
  readonly files: readonly StoreObject[];
  readonly executable: boolean;
  readonly destination: string;
}

const files = t.listOf(t.pathLike, 'paths, strings or derivations');

const args = {
  name: required(t.string),
  files: required(files),
  executable: optional(t.bool, false),
  destination: optional(t.string, { text: '', context: [] }),
  checkPhase: optional(t.any, ''),
  meta: optional(t.any, null),
  passthru: optional(t.any, null),
};

function previewConcat(spec: ConcatTextSpec, env: PreviewEnv = plainPreviewEnv): BuilderPreview {
  const texts = spec.files.map((f) => knownText(f, env));
  const unknown = texts.some((x) => x === undefined);
  return {
    name: spec.name,
    destination: spec.destination,
    text: unknown ? undefined : (texts as string[]).reduce(concatBytes, ''),
    executable: spec.executable,
    output: spec.destination ? 'directory' : 'file',
    problems: [],
  };
}

export const concatTextFile: BuilderPlugin<ConcatTextSpec> = {
  attrPath: 'concatTextFile',
  arity: 1,
  toSpec([arg], span) {
    const { values, spans } = readArgSet('concatTextFile', args, arg, span);
    checkStoreName('concatTextFile', values.name.text, spans.name ?? span);
    return { name: values.name.text, files: values.files, executable: values.executable, destination: values.destination.text };
  },
  preview: previewConcat,
};

export const concatText: BuilderPlugin<ConcatTextSpec> = {
  attrPath: 'concatText',
  arity: 2,
  toSpec(argv, span) {
    const [name, list] = readPositional('concatText', [positional('name', t.string), positional('files', files)], argv, span);
    checkStoreName('concatText', name.text, span);
    return { name: name.text, files: list, executable: false, destination: '' };
  },
  preview: previewConcat,
};
