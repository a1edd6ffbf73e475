/**
 * The checks `show` makes before anything is built, on a plan: the same
 * systemd rules `inspect` applies to a built image (src/inspect/rules.ts),
 * plus what can be seen in unit texts a builder plugin knows: a command whose
 * program is not a store path (nor one of the image's symlinks) cannot exist
 * in the image, which holds only /nix/store and the scaffold. Everything is
 * reported as a warning, at the span in the Nix file it concerns: `show`
 * describes, the build (and `inspect`) decide.
 */
import { checkOsRelease as osReleaseRule, checkPname as pnameRule, checkUnitNames as unitNameRule, commandSearchPath, type Problem } from '../inspect/rules.js';
import { unitCommands } from '../inspect/unitFile.js';
import type { PlanSpan, PlanWarning, ShowPlan } from './plan.js';

function warning(problem: Problem, span: PlanSpan | undefined): PlanWarning {
  return { ...problem, severity: problem.severity === 'info' ? 'info' : 'warning', ...(span ? { span } : {}) };
}

/** A `_` in pname: the image's prefix is cut there and its units never match. */
export function checkPname(plan: ShowPlan): PlanWarning[] {
  return pnameRule(plan.pname).map((p) => warning(p, plan.pnameSpan));
}

/** Unit names against the image's prefix and systemd's unit suffixes. */
export function checkUnitNames(plan: ShowPlan): PlanWarning[] {
  const spans = new Map(plan.units.map((u) => [u.name, u.span]));
  // A `_` in pname has its own warning; the prefix warnings it causes would say the same again.
  const prefixCut = plan.pname.includes('_');
  return unitNameRule(plan.units.map((u) => u.name), plan.imageFileName)
    .filter((p) => !(prefixCut && (p.code === 'unit-prefix' || p.code === 'no-matching-unit')))
    .map((p) => warning(p, p.unit ? spans.get(p.unit) : plan.pnameSpan));
}

export function checkOsRelease(plan: ShowPlan): PlanWarning[] {
  return osReleaseRule(plan.osRelease).map((p) => warning(p, plan.pnameSpan));
}

/** Whether a command's program will be somewhere in the image, as far as can be known before the build. */
function programInImage(program: string, symlinks: readonly string[]): boolean {
  // A store path, known (`/nix/store/...`) or not built yet (`${pkgs.hello}/bin/hello`).
  if (program.startsWith('/nix/store/') || program.startsWith('${')) return true;
  const candidates = program.startsWith('/') ? [program] : commandSearchPath.map((dir) => `${dir}/${program}`);
  return candidates.some((path) => symlinks.some((link) => path === link || path.startsWith(`${link}/`)));
}

/** Every command of every unit whose text is known runs a program the image will hold. */
export function checkExecPrograms(plan: ShowPlan): PlanWarning[] {
  const symlinks = plan.symlinks.map((s) => s.symlink.replace(/\/+$/, ''));
  const warnings: PlanWarning[] = [];
  for (const unit of plan.units) {
    if (unit.text === undefined) continue;
    for (const command of unitCommands(unit.text)) {
      const program = command.program;
      if (program.replaceAll('%%', '').includes('%')) continue; // a specifier: only known when it runs
      if (programInImage(program.replaceAll('%%', '%'), symlinks)) continue;
      const message = program.startsWith('/')
        ? `${command.directive}= program '${program}' is not a store path nor under one of the image's symlinks: the image holds only /nix/store and its scaffold`
        : `${command.directive}= program '${program}' is a bare name: systemd looks for it in ${commandSearchPath.join(', ')}, which the image has only where a symlink puts it`;
      warnings.push({ severity: 'warning', code: 'exec-not-in-image', message, unit: unit.name, line: command.line, ...(unit.span ? { span: unit.span } : {}) });
    }
  }
  return warnings;
}

/** All pre-build checks, in the order they are printed. */
export function checkPlan(plan: ShowPlan): PlanWarning[] {
  return [...checkPname(plan), ...checkOsRelease(plan), ...checkUnitNames(plan), ...checkExecPrograms(plan)];
}

/** The plan with the checks' warnings after the builder's own: what `show` prints. */
export function withChecks(plan: ShowPlan): ShowPlan {
  return { ...plan, warnings: [...plan.warnings, ...checkPlan(plan)] };
}
