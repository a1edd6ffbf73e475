/**
 * Renders a NixError the way Nix does: the trace frames ("… while evaluating
 * ...") each with its position and code frame, then `error: message` last, so
 * the cause is what the user reads first at the bottom of the terminal. Without
 * --show-trace only the error itself is shown, with a note when frames were
 * left out. Colour follows chalk's detection (NO_COLOR, FORCE_COLOR, a TTY).
 * `errorToJSON` is the same information as data, for --json and editors.
 */
import { Chalk, chalkStderr, type ChalkInstance } from 'chalk';
import type { NixError, TraceFrame } from '../eval/errors.js';
import type { Span } from '../eval/span.js';

export interface RenderOptions {
  readonly showTrace: boolean;
  /** Defaults to chalk's detection for stderr. */
  readonly color?: boolean;
}

const indent = '       ';

function codeFrame(span: Span, c: ChalkInstance): string[] {
  const lines = span.source.text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  const width = String(Math.min(span.line + 1, lines.length)).length;
  const gutter = (n: number | '') => c.dim(`${String(n).padStart(width)}|`);
  for (let n = span.line - 1; n <= span.line + 1; n++) {
    if (n < 1 || n > lines.length) continue;
    out.push(`${indent}    ${gutter(n)} ${lines[n - 1]}`);
    if (n === span.line) {
      const text = lines[n - 1] ?? '';
      const start = Math.max(0, span.column - 1);
      const end = span.endLine === span.line ? Math.max(span.endColumn - 1, start + 1) : Math.max(text.length, start + 1);
      out.push(`${indent}    ${gutter('')} ${' '.repeat(start)}${c.red('^' + '~'.repeat(Math.max(0, end - start - 1)))}`);
    }
  }
  return out;
}

function position(span: Span | undefined, c: ChalkInstance): string[] {
  if (!span) return [];
  const file = span.source.path;
  const head = `${indent}  at ${c.magenta(`${file}:${span.line}:${span.column}`)}:`;
  return [head, ...codeFrame(span, c)];
}

function frame(f: TraceFrame, c: ChalkInstance): string[] {
  return [`${indent}${c.dim('…')} ${f.message}`, ...position(f.span, c), ''];
}

export function renderError(err: NixError, options: RenderOptions): string {
  const c = options.color === undefined ? chalkStderr : new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const errorWord = c.red.bold('error:');
  const messageLines = err.message.split('\n');
  if (options.showTrace && err.trace.length > 0) {
    out.push(errorWord);
    for (const f of [...err.trace].reverse()) out.push(...frame(f, c));
    out.push(`${indent}${errorWord} ${messageLines[0]}`, ...messageLines.slice(1).map((l) => indent + l));
    out.push(...position(err.span, c).map((l) => l));
  } else {
    out.push(`${errorWord} ${messageLines[0]}`, ...messageLines.slice(1).map((l) => indent + l));
    out.push(...position(err.span, c));
  }
  for (const h of err.hints) out.push(`${indent}${c.cyan('hint:')} ${h}`);
  if (!options.showTrace && err.trace.length > 0) {
    out.push(`${indent}${c.dim("(stack trace truncated; use '--show-trace' to show the full, detailed trace)")}`);
  }
  let text = out.join('\n') + '\n';
  for (const r of err.related) text += renderError(r, options);
  return text;
}

export interface SpanJSON {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function spanToJSON(span: Span | undefined): SpanJSON | null {
  return span
    ? { file: span.source.path, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn }
    : null;
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

/** nix-build's exit codes: 100 for a failed build, 1 for everything else. */
export function exitCodeFor(err: NixError): number {
  return err.kind === 'build' ? 100 : 1;
}
