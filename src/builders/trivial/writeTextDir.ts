/**
 * `pkgs.writeTextDir path text`: a directory whose file `path` holds `text`;
 * the derivation is named after the file (`baseNameOf path`).
 */
import { positional, readPositional, t } from '../schema.js';
import type { BuilderPlugin } from '../types.js';
import { baseNameOf } from '../knownText.js';
import { checkStoreName } from '../storeName.js';
import { checkDestination, previewTextFile, type TextFileSpec } from './textFile.js';

export const writeTextDir: BuilderPlugin<TextFileSpec> = {
  attrPath: 'writeTextDir',
  arity: 2,
  toSpec(args, span) {
    const [path, text] = readPositional('writeTextDir',
      [positional('path', t.string), positional('text', t.string)], args, span);
    const destination = `/${path.text}`;
    checkDestination('writeTextDir', destination, span);
    checkStoreName('writeTextDir', baseNameOf(path.text), span, 'the file name');
    return { name: baseNameOf(path.text), text, shellScript: false, executable: false, destination };
  },
  preview: previewTextFile,
};
