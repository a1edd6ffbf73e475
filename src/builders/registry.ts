/**
 * The builder plugins, by the attribute of `pkgs` they model. The bridge asks
 * `getBuilder(attr)` when a package set's attribute is selected: a plugin
 * there is called natively, anything else stays a foreign value for Nix.
 * Adding a builder: write its file, add its line here.
 */
import type { BuilderPlugin } from './types.js';
import { writeText } from './trivial/writeText.js';
import { writeTextFile } from './trivial/writeTextFile.js';
import { writeTextDir } from './trivial/writeTextDir.js';
import { writeScript, writeScriptBin, writeShellScript, writeShellScriptBin } from './trivial/scripts.js';
import { concatText, concatTextFile } from './trivial/concatTextFile.js';
import { replaceVars } from './trivial/replaceVars.js';
import { substituteAll } from './trivial/substituteAll.js';
import { runCommand } from './trivial/runCommand.js';
import { symlinkJoin } from './trivial/symlinkJoin.js';
import { portableService } from './portableService.js';

export type { BuilderPlugin } from './types.js';

/**
 * Erases a plugin's spec type for the table. Safe because a spec only ever
 * goes back to the plugin that made it (`BuiltBy` keeps them together).
 */
function entry<S>(plugin: BuilderPlugin<S>): [string, BuilderPlugin<unknown>] {
  return [plugin.attrPath, plugin as unknown as BuilderPlugin<unknown>];
}

const byAttrPath = new Map<string, BuilderPlugin<unknown>>([
  entry(writeText),
  entry(writeTextFile),
  entry(writeTextDir),
  entry(writeScript),
  entry(writeScriptBin),
  entry(writeShellScript),
  entry(writeShellScriptBin),
  entry(concatText),
  entry(concatTextFile),
  entry(replaceVars),
  entry(substituteAll),
  entry(runCommand),
  entry(symlinkJoin),
  entry(portableService),
]);

/** The plugin modelling `pkgs.<attrPath>`, if there is one. */
export function getBuilder(attrPath: string): BuilderPlugin<unknown> | undefined {
  return byAttrPath.get(attrPath);
}

/** Every registered attribute path (for docs and the bridge's `?` answers). */
export function builderAttrPaths(): string[] {
  return [...byAttrPath.keys()];
}
