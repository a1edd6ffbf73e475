/**
 * What `show` can know before a build about the programs a unit runs: when a
 * command's program is inside a package a builder plugin makes
 * (`${demo-program}/bin/demo-greeter`, with `demo-program` a
 * `writeShellScriptBin`), the plugin knows that package's whole content (one
 * file, at the output itself or at its `destination`), so a path to anything
 * else cannot exist in the image, and a file the plugin does not make
 * executable cannot run. Packages only Nix builds are not looked into.
 */
import type { PlanSpan, PlanWarning } from '../../show/plan.js';
import { unitCommands } from '../../inspect/unitFile.js';
import { plainPreviewEnv, type PreviewEnv } from '../types.js';

/** `a//b/` as `a/b`: how the kernel reads a path's slashes. */
function normalise(path: string): string {
  return path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/**
 * The warnings for the commands of one unit whose raw text is known
 * (placeholders of not yet computed store paths still in it).
 */
export function checkExecPaths(unit: string, rawText: string, env: PreviewEnv, span: PlanSpan | undefined): PlanWarning[] {
  if (!env.pendingPaths) return [];
  const warnings: PlanWarning[] = [];
  for (const command of unitCommands(rawText)) {
    const program = command.program;
    const pending = env.pendingPaths(program).find((p) => p.offset === 0);
    const builtBy = pending?.builtBy;
    if (!pending || !builtBy) continue;
    const preview = builtBy.plugin.preview(builtBy.spec, plainPreviewEnv);
    const rest = program.slice(pending.length);
    const shown = env.renderText({ text: program, context: [] });
    const packageShown = env.renderText({ text: program.slice(0, pending.length), context: [] });
    const warn = (code: string, message: string) => warnings.push({
      severity: 'warning', code, unit, line: command.line, message: `${command.directive}= program '${shown}' ${message}`, ...(span ? { span } : {}),
    });
    if (preview.output === 'unknown' || (preview.output === 'directory' && !preview.destination)) continue;
    const holds = preview.output === 'file' ? '' : preview.destination!;
    if (normalise(rest) !== normalise(holds)) {
      warn('exec-not-in-package', holds === ''
        ? `is inside ${packageShown}, which is a single file (pkgs.${builtBy.plugin.attrPath}): it would not exist in the image`
        : `is not in ${packageShown}, which holds only ${holds} (pkgs.${builtBy.plugin.attrPath}): it would not exist in the image`);
    } else if (preview.executable === false) {
      warn('exec-not-executable', `is made by pkgs.${builtBy.plugin.attrPath} without the execute bit: systemd could not run it`);
    }
  }
  return warnings;
}
