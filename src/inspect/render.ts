/**
 * The text form of an inspect report: the facts first (superblock,
 * os-release, units with the commands they run, symlinks, store paths with
 * sizes), then one line per finding naming the unit file and line, so the
 * last thing on the terminal is what is wrong. `inspectReportToJSON` is the
 * same report as data.
 */
import { chalkFor, formatBytes, formatProblem, indentBlock, sizedPathLines, type TextOptions } from './format.js';
import type { Finding, InspectReport } from './report.js';

/** The unit file (and line) a finding is about; other findings name their path in the message. */
export function findingWhere(f: Finding): string | undefined {
  if (f.unit === undefined) return undefined;
  const file = f.path ?? f.unit;
  return f.line !== undefined ? `${file}:${f.line}` : file;
}

export function renderInspect(report: InspectReport, options: TextOptions = {}): string {
  const c = chalkFor(options);
  const head = (s: string) => c.bold(s);
  const out: string[] = [];
  const sb = report.superblock;
  out.push(`${head('Image')} ${report.fileName}`);
  const compression = sb.compressionOptions.length > 0 ? `${sb.compression} (${sb.compressionOptions.join(', ')})` : sb.compression;
  out.push(`${head('Superblock')} compression ${compression}, block size ${sb.blockSize} (${formatBytes(sb.blockSize)}), created ${new Date(sb.creationTime * 1000).toISOString()}${sb.inodes !== undefined ? `, ${sb.inodes} inodes` : ''}`);
  out.push('');
  if (report.osRelease) {
    out.push(head(`os-release (${report.osRelease.path})`), ...indentBlock(report.osRelease.text, '  '));
  } else {
    out.push(`${head('os-release')} none`);
  }
  out.push('', head(`Units (${report.units.length})`));
  for (const u of report.units) {
    out.push(`  ${u.path}${u.target ? ` -> ${u.target}` : ''}`);
    for (const cmd of u.commands) out.push(`    ${c.dim(`${cmd.line}:`)} ${cmd.directive}=${cmd.prefixes}${cmd.program}`);
  }
  out.push('', head(`Symlinks (${report.symlinks.length})`));
  for (const s of report.symlinks) out.push(`  ${s.path} -> ${s.target}`);
  out.push('', ...sizedPathLines('Store paths', report.storePaths, c));
  out.push('', head('Checks'));
  if (report.findings.length === 0) out.push(`  ${c.green('ok')}: the image follows systemd's rules for portable services, and its programs can start inside it`);
  for (const f of report.findings) out.push(`  ${formatProblem(f, findingWhere(f), c)}`);
  return out.join('\n') + '\n';
}

export function inspectReportToJSON(report: InspectReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
