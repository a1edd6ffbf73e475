/**
 * The text form of a plan, for people: the image's name, os-release, each
 * unit with its text (or where it comes from), symlinks, contents, the
 * mksquashfs options, the closure when asked for, and the warnings last,
 * each at its place in the Nix file. `showPlanToJSON` is the form for editors
 * and scripts (shape: docs/show.schema.json).
 */
import { chalkFor, formatProblem, indentBlock, sizedPathLines, type TextOptions } from '../inspect/format.js';
import type { PlanWarning, ShowPlan } from './plan.js';

/** Where a warning is: its place in the Nix file, and the unit (and line) it concerns. */
export function planWarningWhere(w: PlanWarning): string | undefined {
  const parts: string[] = [];
  if (w.span) parts.push(`${w.span.file}:${w.span.line}:${w.span.column}`);
  if (w.unit !== undefined) parts.push(w.line !== undefined ? `${w.unit}:${w.line}` : w.unit);
  return parts.length > 0 ? parts.join(': ') : undefined;
}

export function renderShow(plan: ShowPlan, options: TextOptions = {}): string {
  const c = chalkFor(options);
  const head = (s: string) => c.bold(s);
  const out: string[] = [`${head('Image')} ${plan.imageFileName}`, ''];
  out.push(head('os-release (/etc/os-release)'), ...indentBlock(plan.osRelease, '  '), '');
  out.push(head(`Units (${plan.units.length})`));
  for (const u of plan.units) {
    out.push(`  /etc/systemd/system/${u.name} ${c.dim(`(${u.source})`)}`);
    if (u.text !== undefined) out.push(...indentBlock(u.text, '    '));
  }
  out.push('', head(`Symlinks (${plan.symlinks.length})`));
  for (const s of plan.symlinks) out.push(`  ${s.symlink} -> ${s.object}`);
  out.push('', head(`Contents (${plan.contents.length})`));
  for (const item of plan.contents) out.push(`  ${item.description}`);
  out.push('', `${head('mksquashfs')} ${plan.mksquashfs.options.join(' ')}`);
  if (plan.closure) out.push('', ...sizedPathLines('Closure', plan.closure, c));
  if (plan.warnings.length > 0) {
    out.push('', head(`Warnings (${plan.warnings.length})`));
    for (const w of plan.warnings) out.push(`  ${formatProblem(w, planWarningWhere(w), c)}`);
  }
  return out.join('\n') + '\n';
}

export function showPlanToJSON(plan: ShowPlan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}
