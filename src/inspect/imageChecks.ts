/**
 * The checks that need the image's tree: mount points, and that every program
 * a unit runs exists in the image and is executable. Programs are looked up
 * the way systemd would inside the image (absolute paths through the image's
 * own symlinks; bare names in systemd's fixed search path), so a link to a
 * store path that was left out of the image shows up as a dangling symlink.
 */
import type { Finding, InspectedUnit } from './report.js';
import { commandSearchPath, mountFiles, mountPoints } from './rules.js';
import { isExecutable, resolveInImage, type ImageTree, type Resolution } from './tree.js';
import type { ExecCommand } from './unitFile.js';

export function checkMountPoints(tree: ImageTree): Finding[] {
  const findings: Finding[] = [];
  for (const dir of mountPoints) {
    const r = resolveInImage(tree, dir);
    if (!r.ok) {
      findings.push({ severity: 'error', code: 'missing-mount-point', path: dir, message: `the image has no ${dir} directory: systemd mounts over it, and a read-only image cannot create it` });
    } else if (r.entry.kind !== 'directory') {
      findings.push({ severity: 'error', code: 'missing-mount-point', path: dir, message: `${dir} in the image is not a directory: systemd mounts a directory over it` });
    }
  }
  for (const file of mountFiles) {
    // A symlink is enough (resolv.conf often points into /run): systemd mounts over the path itself.
    if (!tree.has(file)) {
      findings.push({ severity: 'error', code: 'missing-mount-file', path: file, message: `the image has no ${file}: systemd mounts the host's file over it (an empty file is fine)` });
    }
  }
  return findings;
}

function describeVia(via: readonly string[]): string {
  return via.length === 0 ? '' : ` (through ${via.join(', ')})`;
}

function programProblem(tree: ImageTree, program: string): { code: string; detail: string } | undefined {
  if (program.includes('%') && program.replaceAll('%%', '').includes('%')) {
    return { code: 'exec-unchecked', detail: 'contains a specifier (%...) that is only known when the unit runs; not checked' };
  }
  const path = program.replaceAll('%%', '%');
  if (!path.startsWith('/')) {
    for (const dir of commandSearchPath) {
      const r = resolveInImage(tree, `${dir}/${path}`);
      if (r.ok && isExecutable(r.entry)) return undefined;
    }
    return { code: 'exec-missing', detail: `is not in the image: systemd looks for a bare name in ${commandSearchPath.join(', ')}` };
  }
  return resolutionProblem(resolveInImage(tree, path), path);
}

function resolutionProblem(r: Resolution, path: string): { code: string; detail: string } | undefined {
  if (r.ok) {
    if (isExecutable(r.entry)) return undefined;
    const what = r.entry.kind === 'file' ? `has mode ${r.entry.mode.toString(8).padStart(4, '0')}, no execute bit` : `is a ${r.entry.kind}`;
    return { code: 'exec-not-executable', detail: `is not executable: ${r.entry.path} ${what}${describeVia(r.via)}` };
  }
  if (r.reason === 'loop') return { code: 'exec-symlink-loop', detail: `leads into a symlink loop${describeVia(r.via)}` };
  if (r.via.length > 0) {
    return { code: 'exec-dangling-symlink', detail: `is a dangling symlink: ${r.at} is not in the image${describeVia(r.via)}` };
  }
  if (r.reason === 'not-a-directory') return { code: 'exec-missing', detail: `does not exist in the image: ${r.at} is not a directory` };
  return { code: 'exec-missing', detail: `does not exist in the image${r.at === path ? '' : ` (${r.at} is missing)`}` };
}

/** The finding for one command, if its program cannot run. */
function checkCommand(tree: ImageTree, unit: InspectedUnit, command: ExecCommand): Finding | undefined {
  const problem = programProblem(tree, command.program);
  if (!problem) return undefined;
  return {
    severity: problem.code === 'exec-unchecked' ? 'info' : 'error',
    code: problem.code,
    unit: unit.name,
    line: command.line,
    path: unit.path,
    message: `${command.directive}= program '${command.program}' ${problem.detail}`,
  };
}

export function checkUnitCommands(tree: ImageTree, units: readonly InspectedUnit[]): Finding[] {
  const findings: Finding[] = [];
  for (const unit of units) {
    for (const command of unit.commands) {
      const f = checkCommand(tree, unit, command);
      if (f) findings.push(f);
    }
  }
  return findings;
}
