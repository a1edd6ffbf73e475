/**
 * Where the evaluator's non-fatal output goes: `builtins.trace` lines and
 * warnings. The parser (cursed `or`, lint settings) and the builtins
 * (derivation attributes, builtins.warn) warn here, far from the CLI that knows how to render
 * a warning with its position and code frame: the CLI (and the language-test
 * runner) replaces `warn` with its renderer; tests replace `write` to capture.
 *
 * A warning is shaped like a NixError (message, span, trace frames) because
 * Nix logs warnings from the same information, and renders them the same way
 * with `warning:` for `error:`.
 */
import type { Span } from './span.js';
import type { TraceFrame } from './errors.js';
import { writeOutput } from '../stdio.js';

export interface NixWarning {
  readonly message: string;
  readonly span?: Span;
  /** Innermost frame first, as NixError.trace. */
  readonly trace: readonly TraceFrame[];
}

export const diagnostics = {
  /** One line (or several joined by newlines) of diagnostic text. */
  write(line: string): void {
    writeOutput('stderr', line + '\n');
  },
  /** A warning; the default has no code frame (the CLI installs the full renderer). */
  warn(w: NixWarning): void {
    const at = w.span ? `\n         at ${w.span.source.path}:${w.span.line}:${w.span.column}:` : '';
    diagnostics.write(`warning: ${w.message}${at}`);
  },
  /**
   * `builtins.warn`'s message ("evaluation warning: ..."), at the call. The
   * default writes it as Nix prints it; the language server makes it a
   * diagnostic.
   */
  evaluationWarning(message: string, span?: Span): void {
    void span;
    // Continuation lines line up under the first, unless the message starts on its own line.
    const prefix = 'evaluation warning:';
    diagnostics.write(message.startsWith('\n')
      ? prefix + message
      : `${prefix} ${message.split('\n').join('\n' + ' '.repeat(prefix.length + 1))}`);
  },
  /** `--trace-verbose`: whether traceVerbose prints. */
  traceVerbose: false,
};

/** How a lint setting (`lint-short-path-literals` ...) treats what it finds, as Nix's `Diagnose`. */
export type DiagnoseLevel = 'ignore' | 'warn' | 'fatal';

export const DIAGNOSE_LEVELS: readonly DiagnoseLevel[] = ['ignore', 'warn', 'fatal'];
