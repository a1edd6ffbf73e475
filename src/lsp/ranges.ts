/**
 * Positions in LSP's terms. The protocol counts lines from 0 and characters
 * in UTF-16 code units; tsportable's spans count lines from 1 and columns in
 * bytes of UTF-8, as Nix prints them. The parser's spans also keep UTF-16
 * offsets into their source text (syntax/positions.ts `spanOffsets`), which
 * convert exactly; spans that went through plain data (a `show` plan's)
 * convert from line and byte column, with the text of their file.
 */
import type { Position, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from '../eval/span.js';
import { spanOffsets } from '../eval/syntax/positions.js';
import type { PlanSpan } from '../show/plan.js';

/** Texts seen as documents, for offset → position (one per source text, dropped with it). */
const documents = new WeakMap<object, TextDocument>();

function documentOf(source: { readonly text: string }): TextDocument {
  let doc = documents.get(source);
  if (doc === undefined) {
    doc = TextDocument.create('file:///', 'nix', 0, source.text);
    documents.set(source, doc);
  }
  return doc;
}

/** The UTF-16 column of a 1-based byte column in `line`. */
function utf16Column(line: string, byteColumn: number): number {
  let bytes = 0;
  let i = 0;
  while (i < line.length && bytes < byteColumn - 1) {
    const c = line.codePointAt(i)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += c >= 0x10000 ? 2 : 1;
  }
  return i;
}

/** The lines of a text as Nix and LSP both count them (`\n`, `\r\n` and a lone `\r` end a line). */
export function textLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** A position from Nix's 1-based line and byte column, in a text split by `textLines`. */
function positionIn(lines: readonly string[], line: number, byteColumn: number): Position {
  const l = Math.max(0, Math.min(line - 1, lines.length - 1));
  return { line: l, character: utf16Column(lines[l] ?? '', byteColumn) };
}

/** A span as an LSP range in its own source text. */
export function spanRange(span: Span): Range {
  const offsets = spanOffsets(span);
  if (offsets !== undefined) {
    const doc = documentOf(span.source);
    return { start: doc.positionAt(offsets.start), end: doc.positionAt(offsets.end) };
  }
  const lines = textLines(span.source.text);
  return { start: positionIn(lines, span.line, span.column), end: positionIn(lines, span.endLine, span.endColumn) };
}

/** A plan's span (file, line, byte column) as a range, with the lines of that file's text. */
export function planSpanRange(span: PlanSpan, lines: readonly string[]): Range {
  return { start: positionIn(lines, span.line, span.column), end: positionIn(lines, span.endLine, span.endColumn) };
}

export function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** The start of a document: where a problem of the whole file is shown. */
export const fileStart: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
