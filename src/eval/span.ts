/**
 * Where a piece of Nix source came from. A `Source` is a file (absolute path)
 * or a pseudo-file such as `«string»` for `-E` and `--arg` expressions; its text
 * is kept so that errors can show a code frame.
 */
export interface Source {
  /** Absolute path of the file, or `«string»`, `«stdin»`, `«none»`. */
  readonly path: string;
  readonly text: string;
}

/** 1-based lines and columns, as Nix prints them; the end is exclusive. */
export interface Span {
  readonly source: Source;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** `FILE:LINE:COL`, the form Nix uses in messages ("at /x/default.nix:3:5"). */
export function formatPos(span: Span): string {
  return `${span.source.path}:${span.line}:${span.column}`;
}
