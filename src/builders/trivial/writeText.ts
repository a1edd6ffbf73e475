/**
 * `pkgs.writeText name text`: a file in the store holding `text`. nixpkgs
 * still accepts anything `toString` converts (deprecated), so the text is read
 * with toString's rules.
 */
import { positional, readPositional, t } from '../schema.js';
import type { BuilderPlugin } from '../types.js';
import { checkStoreName } from '../storeName.js';
import { previewTextFile, type TextFileSpec } from './textFile.js';

export const writeText: BuilderPlugin<TextFileSpec> = {
  attrPath: 'writeText',
  arity: 2,
  toSpec(args, span) {
    const [name, text] = readPositional('writeText',
      [positional('name', t.string), positional('text', t.stringCoercible(true))], args, span);
    checkStoreName('writeText', name.text, span);
    return { name: name.text, text, shellScript: false, executable: false, destination: '' };
  },
  preview: previewTextFile,
};
