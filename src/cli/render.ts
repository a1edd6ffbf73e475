/**
 * Renders a NixError the way Nix does: the trace frames ("… while evaluating
 * ...") each with its position and code frame, then `error: message` last, so
 * the cause is what the user reads first at the bottom of the terminal. Without
 * --show-trace only the error itself is shown, with a note when frames were
 * left out. Warnings (renderWarning) share the layout and the code frames.
 * Colour follows stderr's (color.ts: FORCE_COLOR, NO_COLOR, a terminal).
 * `errorToJSON` is the same information as data, for --json and editors.
 */
import type { ChalkInstance } from 'chalk';
import { chalkFor as chalkForStream } from './color.js';
import type { NixError, TraceFrame } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import type { NixWarning } from '../eval/diagnostics.js';
import { toPlanSpan, type PlanSpan } from '../show/plan.js';

export interface RenderOptions {
  readonly showTrace: boolean;
  /** Defaults to stderr's colour (color.ts). */
  readonly color?: boolean;
  /** Underline the whole span with tildes (default); false gives Nix's single `^`. */
  readonly underline?: boolean;
}

/** Nix indents everything under `error:` by its width; warnings by the width of `warning:`. */
const ERROR_INDENT = '       ';
const WARNING_INDENT = '         ';

function chalkFor(options: RenderOptions): ChalkInstance {
  return chalkForStream('stderr', options.color);
}

/**
 * The lines around `span` in Nix's layout: line numbers right-aligned in six
 * columns after the indent, `^` under the start column (tildes to the end of
 * the span unless `underline` is false, which is exactly Nix's form).
 */
function codeFrame(span: Span, c: ChalkInstance, indent: string, underline: boolean): string[] {
  const lines = span.source.text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  const gutter = (n: number | '') => c.dim(`${String(n).padStart(6)}|`);
  for (let n = span.line - 1; n <= span.line + 1; n++) {
    if (n < 1 || n > lines.length) continue;
    const text = lines[n - 1] ?? '';
    out.push(`${indent}${gutter(n)}${text === '' ? '' : ' ' + text}`);
    if (n === span.line) {
      const start = Math.max(0, span.column - 1);
      const end = span.endLine === span.line ? Math.max(span.endColumn - 1, start + 1) : Math.max(text.length, start + 1);
      const tildes = underline ? '~'.repeat(Math.max(0, end - start - 1)) : '';
      out.push(`${indent}${gutter('')} ${' '.repeat(start)}${c.red('^' + tildes)}`);
    }
  }
  return out;
}

function position(span: Span | undefined, c: ChalkInstance, indent: string, atIndent: string, underline: boolean): string[] {
  if (!span) return [];
  const head = `${atIndent}at ${c.magenta(`${span.source.path}:${span.line}:${span.column}`)}:`;
  return [head, ...codeFrame(span, c, indent, underline)];
}

/**
 * The frames, outermost first; a frame at the same place as the one before it
 * shows no position again (Nix's way: "while calling the 'add' builtin" then
 * "while evaluating its first argument" point at one call).
 */
function frames(trace: readonly TraceFrame[], c: ChalkInstance, indent: string, underline: boolean): string[] {
  const out: string[] = [];
  let shown: Span | undefined;
  for (const f of [...trace].reverse()) {
    const span = samePlace(f.span, shown) ? undefined : f.span;
    out.push(`${indent}${c.dim('…')} ${f.message.split('\n').join('\n' + indent)}`);
    out.push(...position(span, c, indent, indent + '  ', underline), '');
    if (f.span) shown = f.span;
  }
  return out;
}

/** `word` (`error:`, `warning:`) and a message, with the continuation lines indented under it. */
function headed(word: string, message: string, indent: string): string[] {
  const [first, ...rest] = message.split('\n');
  return [`${word} ${first}`, ...rest.map((l) => indent + l)];
}

function samePlace(a: Span | undefined, b: Span | undefined): boolean {
  return a !== undefined && b !== undefined && a.source.path === b.source.path && a.line === b.line && a.column === b.column;
}

export function renderError(err: NixError, options: RenderOptions): string {
  const c = chalkFor(options);
  const underline = options.underline ?? true;
  const out: string[] = [];
  const errorWord = c.red.bold('error:');
  const indent = ERROR_INDENT;
  let span = err.span;
  if (options.showTrace && err.trace.length > 0) {
    out.push(errorWord);
    out.push(...frames(err.trace, c, indent, underline));
    out.push(...headed(indent + errorWord, err.message, indent));
    // A frame already showed this place (a builtin's call site): Nix shows it once.
    if (err.trace.some((f) => samePlace(span, f.span))) span = undefined;
  } else {
    out.push(...headed(errorWord, err.message, indent));
  }
  out.push(...position(span, c, indent, indent, underline));
  for (const h of err.hints) out.push(`${indent}${c.cyan('hint:')} ${h}`);
  if (!options.showTrace && err.trace.length > 0) {
    out.push(`${indent}${c.dim("(stack trace truncated; use '--show-trace' to show the full, detailed trace)")}`);
  }
  let text = out.join('\n') + '\n';
  for (const r of err.related) text += renderError(r, options);
  return text;
}

/**
 * A warning as Nix logs one: like an error with `warning:`, its frames always
 * shown (Nix prints a warning's few frames without --show-trace).
 */
export function renderWarning(w: NixWarning, options: Omit<RenderOptions, 'showTrace'>): string {
  const c = chalkFor({ ...options, showTrace: false });
  const underline = options.underline ?? true;
  const word = c.yellow.bold('warning:');
  const indent = WARNING_INDENT;
  const out: string[] = [];
  if (w.trace.length > 0) {
    out.push(word);
    out.push(...frames(w.trace, c, indent, underline));
    out.push(...headed(indent + word, w.message, indent));
  } else {
    out.push(...headed(word, w.message, indent));
  }
  out.push(...position(w.span, c, indent, indent, underline));
  return out.join('\n') + '\n';
}

/** A span in JSON: the same form `show --json` uses for its warnings. */
export type SpanJSON = PlanSpan;

function spanToJSON(span: Span | undefined): SpanJSON | null {
  return span ? toPlanSpan(span) : null;
}

export interface ErrorJSON {
  kind: string;
  message: string;
  span: SpanJSON | null;
  trace: { message: string; span: SpanJSON | null }[];
  hints: string[];
  related: ErrorJSON[];
}

export function errorToJSON(err: NixError): ErrorJSON {
  return {
    kind: err.kind,
    message: err.message,
    span: spanToJSON(err.span),
    trace: err.trace.map((f) => ({ message: f.message, span: spanToJSON(f.span) })),
    hints: [...err.hints],
    related: err.related.map(errorToJSON),
  };
}

/** nix-build's exit codes: 100 for a failed build, 104 for a `--check` that found a difference, 1 for everything else. */
export function exitCodeFor(err: NixError): number {
  return err.kind === 'build' ? 100 : err.kind === 'check' ? 104 : 1;
}
