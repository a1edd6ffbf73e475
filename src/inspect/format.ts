/**
 * Small text helpers shared by the `inspect` and `show` renderers: byte sizes
 * people can read, and the one-line form of a finding (`severity: where: what
 * [code]`), so both commands print problems the same way.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Problem } from './rules.js';

export interface TextOptions {
  /** Defaults to chalk's detection for stdout (NO_COLOR, FORCE_COLOR, a TTY). */
  readonly color?: boolean;
}

export function chalkFor(options: TextOptions): ChalkInstance {
  return new Chalk(options.color === undefined ? {} : { level: options.color ? 1 : 0 });
}

/** `512 B`, `12.3 KiB`, `4.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One line for a problem; `where` is the location prefix (`demo.service:5`, a Nix position), if any. */
export function formatProblem(p: Problem, where: string | undefined, c: ChalkInstance): string {
  const word = p.severity === 'error' ? c.red.bold('error') : p.severity === 'warning' ? c.yellow.bold('warning') : c.cyan('info');
  return `${word}: ${where ? `${where}: ` : ''}${p.message} ${c.dim(`[${p.code}]`)}`;
}

/** Indents every line of `text` (without a trailing empty line). */
export function indentBlock(text: string, indent: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.map((l) => (l === '' ? '' : indent + l));
}
