/**
 * The script writers: `writeScript`, `writeScriptBin`, `writeShellScript`,
 * `writeShellScriptBin`, all `name: text:`. They differ in two ways only: the
 * `/bin/<name>` destination and the `#!${runtimeShell}` line nixpkgs puts
 * around a shell script's text. One factory makes the four plugins.
 */
import { positional, readPositional, t } from '../schema.js';
import type { BuilderPlugin } from '../types.js';
import { checkStoreName } from '../storeName.js';
import { previewTextFile, type TextFileSpec } from './textFile.js';

function scriptWriter(attrPath: string, opts: { bin: boolean; shell: boolean }): BuilderPlugin<TextFileSpec> {
  return {
    attrPath,
    arity: 2,
    toSpec(args, span) {
      const [name, text] = readPositional(attrPath,
        [positional('name', t.string), positional('text', t.string)], args, span);
      checkStoreName(attrPath, name.text, span);
      return {
        name: name.text,
        text,
        shellScript: opts.shell,
        executable: true,
        destination: opts.bin ? `/bin/${name.text}` : '',
      };
    },
    preview: previewTextFile,
  };
}

export const writeScript = scriptWriter('writeScript', { bin: false, shell: false });
export const writeScriptBin = scriptWriter('writeScriptBin', { bin: true, shell: false });
export const writeShellScript = scriptWriter('writeShellScript', { bin: false, shell: true });
export const writeShellScriptBin = scriptWriter('writeShellScriptBin', { bin: true, shell: true });
