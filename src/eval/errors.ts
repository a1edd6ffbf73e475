/**
 * The one error type of tsportable. Whatever goes wrong for a user's reason,
 * a syntax error, an evaluation error, a bad builder argument, a failed build,
 * reaches the CLI as a `NixError` carrying its message, the span it concerns,
 * the trace of what was being evaluated ("while evaluating ..."), and hints.
 * The CLI renders it as text with code frames or as JSON; the editor
 * integration turns it into a diagnostic. A JavaScript exception that is not a
 * `NixError` is a bug in tsportable, and is reported as one.
 */
import type { Span } from './span.js';

/** What kind of failure, where it changes behaviour (`tryEval`, exit codes). */
export type ErrorKind =
  | 'parse'      // syntax errors and the checks Nix makes while parsing
  | 'eval'       // type errors, missing attributes, ... (not caught by tryEval)
  | 'throw'      // `throw`: caught by tryEval
  | 'assert'     // failed `assert`: caught by tryEval
  | 'abort'      // `abort`: never caught
  | 'usage'      // bad command-line use
  | 'build'      // a failed Nix build or image build: exit 100
  | 'check';     // a rebuild (`build --check`) that differs from the earlier build: exit 104

export interface TraceFrame {
  readonly message: string;
  readonly span?: Span;
}

export class NixError extends Error {
  readonly kind: ErrorKind;
  span?: Span;
  /** Innermost frame first, as Nix prints with --show-trace (after the error). */
  readonly trace: TraceFrame[] = [];
  readonly hints: string[] = [];
  /** Further errors reported together (a file's other syntax errors). */
  readonly related: NixError[] = [];

  constructor(kind: ErrorKind, message: string, span?: Span) {
    super(message);
    this.name = 'NixError';
    this.kind = kind;
    this.span = span;
  }

  /** Adds an outer "while evaluating ..." frame; returns `this` for rethrowing. */
  addTrace(message: string, span?: Span): this {
    this.trace.push({ message, span });
    return this;
  }

  /** Sets the span only if none is set yet: the innermost place wins. */
  at(span: Span | undefined): this {
    if (!this.span && span) this.span = span;
    return this;
  }
}

export function isNixError(e: unknown): e is NixError {
  return e instanceof NixError;
}
