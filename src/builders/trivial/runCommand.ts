/**
 * `pkgs.runCommand name env buildCommand`: whatever the shell command makes.
 * Only its name is known without Nix; the command is kept for `show`.
 */
import { positional, readPositional, t } from '../schema.js';
import type { BuilderPlugin, NixText } from '../types.js';
import { checkStoreName } from '../storeName.js';

export interface RunCommandSpec {
  readonly name: string;
  readonly buildCommand: NixText;
}

export const runCommand: BuilderPlugin<RunCommandSpec> = {
  attrPath: 'runCommand',
  arity: 3,
  toSpec(args, span) {
    const [name, , buildCommand] = readPositional('runCommand', [
      positional('name', t.string), positional('env', t.attrSet), positional('buildCommand', t.string),
    ], args, span);
    checkStoreName('runCommand', name.text, span);
    return { name: name.text, buildCommand };
  },
  preview(spec) {
    return { name: spec.name, output: 'unknown', problems: [] };
  },
};
