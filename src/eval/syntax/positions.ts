/**
 * Turns offsets in a source text into the line and column Nix prints.
 *
 * Two things differ from what tree-sitter reports, and both matter for
 * positions to agree with Nix's own messages:
 * - Nix ends a line at `\n`, `\r\n` *and a lone `\r`* (tree-sitter only at `\n`);
 * - Nix's columns count bytes (`"é" x` puts `x` at column 5), while the
 *   tree-sitter Node binding indexes the JavaScript string in UTF-16 units.
 *   The text is the file's bytes decoded as value/bytes.ts says: a byte that
 *   is not valid UTF-8 is one lone surrogate, and one byte.
 * Spans are made lazily: a node keeps two offsets, and the line/column pair is
 * computed only when someone reads it (usually only for an error message).
 */
import type { Source, Span } from '../span.js';
import { byteOffsets } from '../value/bytes.js';

export class PositionTable {
  /** UTF-16 index at which each line starts. */
  private readonly lineStarts: number[] = [0];
  /** Byte offset of each UTF-16 index; absent when the text is ASCII. */
  private byteOffsets?: Uint32Array;

  constructor(readonly source: Source) {
    const text = source.text;
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      } else if (c > 127) ascii = false;
    }
    if (!ascii) this.byteOffsets = byteOffsets(text);
  }

  /** 1-based line and byte column of a UTF-16 index. */
  lineColumn(index: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    const bytes = this.byteOffsets;
    const column = bytes ? bytes[index] - bytes[starts[lo]] : index - starts[lo];
    return { line: lo + 1, column: column + 1 };
  }

  /** A span from UTF-16 index `start` to `end` (exclusive). */
  span(start: number, end: number): Span {
    return new OffsetSpan(this, start, end);
  }
}

/** The UTF-16 offsets of a span into its source text, when the parser made it (editors count in UTF-16). */
export function spanOffsets(span: Span): { readonly start: number; readonly end: number } | undefined {
  return span instanceof OffsetSpan ? span : undefined;
}

/**
 * A span that knows its offsets and computes line/column on demand. It
 * satisfies `Span`; `toJSON` gives the plain fields for serialisation.
 */
class OffsetSpan implements Span {
  constructor(private readonly table: PositionTable, readonly start: number, readonly end: number) {}
  get source(): Source { return this.table.source; }
  get line(): number { return this.table.lineColumn(this.start).line; }
  get column(): number { return this.table.lineColumn(this.start).column; }
  get endLine(): number { return this.table.lineColumn(this.end).line; }
  get endColumn(): number { return this.table.lineColumn(this.end).column; }
  toJSON(): object {
    const s = this.table.lineColumn(this.start);
    const e = this.table.lineColumn(this.end);
    return { path: this.source.path, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }
}
