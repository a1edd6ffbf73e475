/**
 * Problems as LSP diagnostics: a NixError (syntax, evaluation, a builder's
 * argument check) with its trace as related information, an evaluation
 * warning, and a `show` plan's warnings with their codes (docs/inspect.md).
 *
 * A diagnostic must sit in the document it is published for, but an error
 * may happen in another file (in `lib`, in an imported file): it is then shown
 * at the innermost place of the trace that is in the document, the call that
 * led there, and the place of the error itself is the first related location.
 */
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver';
import { DiagnosticSeverity } from './kinds.js';
import type { NixError, TraceFrame } from '../eval/errors.js';
import type { NixWarning } from '../eval/diagnostics.js';
import type { Span } from '../eval/span.js';
import type { PlanWarning } from '../show/plan.js';
import type { DocumentInput } from './protocol.js';
import { fileStart, planSpanRange, spanRange, textLines } from './ranges.js';

const enum Limits {
  /** Trace frames given as related information (a deep recursion has thousands). */
  RelatedFrames = 20,
}

const source = 'tsportable';

/** A span of the document itself (its current text, not the file on disk). */
export function inDocument(span: Span | undefined, doc: DocumentInput): span is Span {
  return span !== undefined && span.source.path === doc.path && span.source.text === doc.text;
}

/** The path of the file the editor knows for a path evaluated (a flake's copy in the store → the flake's directory). */
export type OnDisk = (path: string) => string;

const samePath: OnDisk = (path) => path;

function uriOf(path: string, doc: DocumentInput, onDisk: OnDisk): string | undefined {
  if (path === doc.path) return doc.uri;
  return path.startsWith('/') ? pathToFileURL(onDisk(path)).href : undefined;
}

function related(span: Span | undefined, message: string, doc: DocumentInput, onDisk: OnDisk): DiagnosticRelatedInformation[] {
  if (span === undefined) return [];
  const uri = uriOf(span.source.path, doc, onDisk);
  return uri === undefined ? [] : [{ location: { uri, range: spanRange(span) }, message }];
}

/** Where in the document a problem located at `span` with `trace` is shown, and the related places. */
function placement(span: Span | undefined, trace: readonly TraceFrame[], doc: DocumentInput, onDisk: OnDisk = samePath, here = 'the error is here') {
  const frame = inDocument(span, doc) ? undefined : trace.find((f) => inDocument(f.span, doc));
  const range = inDocument(span, doc) ? spanRange(span) : frame ? spanRange(frame.span!) : undefined;
  const info: DiagnosticRelatedInformation[] = [];
  if (!inDocument(span, doc)) info.push(...related(span, here, doc, onDisk));
  let previous = '';
  for (const f of trace) {
    if (info.length >= Limits.RelatedFrames) break;
    const key = `${f.message}@${f.span ? `${f.span.source.path}:${f.span.line}:${f.span.column}` : ''}`;
    if (key === previous) continue;
    previous = key;
    info.push(...related(f.span, f.message, doc, onDisk));
  }
  return { range, info };
}

function withHints(message: string, hints: readonly string[]): string {
  return [message, ...hints].join('\n');
}

/**
 * One diagnostic per error (the error and those reported with it: a file's
 * other syntax errors, a builder's other problems). One with no place in the
 * document goes at `fallback` (what the caller knows it is about), else at
 * the start of the file.
 */
export function errorDiagnostics(e: NixError, doc: DocumentInput, onDisk: OnDisk = samePath, fallback?: Range): Diagnostic[] {
  return [e, ...e.related].map((err) => {
    const { range, info } = placement(err.span, err.trace, doc, onDisk);
    const where = range === undefined && fallback === undefined && err.span ? ` (at ${onDisk(err.span.source.path)}:${err.span.line}:${err.span.column})` : '';
    return {
      range: range ?? fallback ?? fileStart,
      severity: DiagnosticSeverity.Error,
      source,
      code: err.kind,
      message: withHints(err.message + where, err.hints),
      ...(info.length ? { relatedInformation: info } : {}),
    };
  });
}

/**
 * An evaluation warning (builtins.warn, a deprecation, a lint); one with no
 * place in the document goes at `fallback`, or nowhere without one.
 */
export function warningDiagnostic(w: NixWarning, doc: DocumentInput, fallback?: Diagnostic['range']): Diagnostic | undefined {
  const placed = placement(w.span, w.trace, doc, samePath, 'the warning is here');
  const range = placed.range ?? fallback;
  const { info } = placed;
  if (range === undefined) return undefined;
  return { range, severity: DiagnosticSeverity.Warning, source, message: w.message, ...(info.length ? { relatedInformation: info } : {}) };
}

const severities = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** A `show` warning, at its span when it is in the document, else at `fallback` (the image's call). */
export function planWarningDiagnostic(w: PlanWarning, doc: DocumentInput, fallback: Diagnostic['range'] | undefined): Diagnostic {
  const range = w.span && w.span.file === doc.path ? planSpanRange(w.span, textLines(doc.text)) : fallback ?? fileStart;
  // The messages name their unit; the line in its text is said here.
  const inUnit = w.unit === undefined || w.line === undefined ? '' : ` (${w.unit}, line ${w.line})`;
  return { range, severity: severities[w.severity], source, code: w.code, message: w.message + inUnit };
}
