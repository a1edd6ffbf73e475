/**
 * `pkgs.writeTextFile { name, text, executable ? false, destination ? "", ... }`:
 * the general text writer the others are made of. Arguments that only shape the
 * derivation (checkPhase, meta, passthru, ...) are accepted and left to Nix.
 */
import { optional, readArgSet, required, t } from '../schema.js';
import type { BuilderPlugin } from '../types.js';
import { checkStoreName } from '../storeName.js';
import { checkDestination, previewTextFile, type TextFileSpec } from './textFile.js';

const args = {
  name: required(t.string),
  text: required(t.string),
  executable: optional(t.bool, false),
  destination: optional(t.string, { text: '', context: [] }),
  checkPhase: optional(t.any, ''),
  meta: optional(t.any, null),
  passthru: optional(t.any, null),
  allowSubstitutes: optional(t.bool, false),
  preferLocalBuild: optional(t.bool, true),
  derivationArgs: optional(t.attrSet, null),
};

export const writeTextFile: BuilderPlugin<TextFileSpec> = {
  attrPath: 'writeTextFile',
  arity: 1,
  toSpec([arg], span) {
    const { values, spans } = readArgSet('writeTextFile', args, arg, span);
    checkStoreName('writeTextFile', values.name.text, spans.name ?? span);
    checkDestination('writeTextFile', values.destination.text, spans.destination ?? span);
    return {
      name: values.name.text,
      text: values.text,
      shellScript: false,
      executable: values.executable,
      destination: values.destination.text,
    };
  },
  preview: previewTextFile,
};
