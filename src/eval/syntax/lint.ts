/**
 * Current Nix's parser lints (`lint-url-literals`, `lint-short-path-literals`,
 * `lint-absolute-path-literals`) and the deprecation warning for the "cursed"
 * `or`. Each lint is a setting: ignore (the default), warn, or fatal (a parse
 * error). The settings are process-wide, as Nix's are: the CLI sets them from
 * its options before evaluating; every file parsed afterwards is checked.
 * Messages are Nix's, with the setting's name appended as Nix does.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { diagnostics, type DiagnoseLevel } from '../diagnostics.js';

export type LintName = 'lint-url-literals' | 'lint-short-path-literals' | 'lint-absolute-path-literals';

export const LINT_NAMES: readonly LintName[] = ['lint-url-literals', 'lint-short-path-literals', 'lint-absolute-path-literals'];

export const lintSettings: Record<LintName, DiagnoseLevel> = {
  'lint-url-literals': 'ignore',
  'lint-short-path-literals': 'ignore',
  'lint-absolute-path-literals': 'ignore',
};

let warnings = 0;

/** How many warnings the parser has given in this process (the parse cache keeps no tree that warned). */
export function parserWarnings(): number {
  return warnings;
}

/** Puts every lint back to `ignore` (tests, and each CLI run before applying its options). */
export function resetLints(): void {
  for (const name of LINT_NAMES) lintSettings[name] = 'ignore';
}

/**
 * Reports a finding of lint `name` at `span`: nothing, a warning, or a thrown
 * parse error. `message` gets whether the lint is fatal (URL literals are
 * "discouraged" or "disallowed").
 */
export function lint(name: LintName, span: Span, message: (fatal: boolean) => string): void {
  const level = lintSettings[name];
  if (level === 'ignore') return;
  const text = `${message(level === 'fatal')} (${name})`;
  if (level === 'fatal') throw new NixError('parse', text, span);
  warnings++;
  diagnostics.warn({ message: text, span, trace: [] });
}

/**
 * `x or` used as an argument or list element: Nix accepts it with this warning
 * (NixOS/nix#11118), a plain one: the position is part of the text, no code frame.
 */
export function warnCursedOr(span: Span, snippet: string): void {
  warnings++;
  diagnostics.write(
    `warning: at ${span.source.path}:${span.line}:${span.column}: This expression uses \`or\` as an identifier in a way that will change in a future Nix release.\n`
      + 'Wrap this entire expression in parentheses to preserve its current meaning:\n'
      + `    (${snippet})\n`
      + 'Give feedback at https://github.com/NixOS/nix/pull/11121',
  );
}
