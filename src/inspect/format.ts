/**
 * Small text helpers shared by the `inspect` and `show` renderers: byte sizes
 * people can read, lists of store paths with sizes, and the one-line form of
 * a finding (`severity: where: what [code]`), so both commands print these
 * the same way.
 */
import type { ChalkInstance } from 'chalk';
import { chalkFor as chalkForStream } from '../cli/color.js';
import type { Problem } from './rules.js';

export interface TextOptions {
  /** Defaults to the detection for stdout (FORCE_COLOR, NO_COLOR, a TTY: src/cli/color.ts). */
  readonly color?: boolean;
}

/** Colours for text written to stdout, unless `color` says otherwise. */
export function chalkFor(options: TextOptions): ChalkInstance {
  return options.color === undefined ? chalkForStream('stdout') : chalkForStream('stdout', options.color);
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

/** A titled list of store paths with their sizes (`Closure (3, 1.2 MiB)`), the sizes right-aligned. */
export function sizedPathLines(title: string, paths: readonly { readonly path: string; readonly size: number }[], c: ChalkInstance): string[] {
  const total = paths.reduce((n, p) => n + p.size, 0);
  const width = Math.max(0, ...paths.map((p) => formatBytes(p.size).length));
  return [c.bold(`${title} (${paths.length}, ${formatBytes(total)})`), ...paths.map((p) => `  ${formatBytes(p.size).padStart(width)}  ${p.path}`)];
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
