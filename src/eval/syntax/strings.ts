/**
 * Nix's rules for the text of string literals, applied to the raw source text
 * between interpolations (tree-sitter's own split of a string into fragments
 * and escapes is not relied on: the raw text and these rules are enough).
 *
 * - `"..."`: `\n \r \t` and `\x` for any other x; a raw CR or CR LF becomes LF;
 *   `$${` and a lone `$` stay literal.
 * - `''...''`: the escapes `''$` (a `$`), `'''` (two quotes) and `''\x`;
 *   then the common indentation is stripped. That algorithm is subtle and is
 *   reproduced step by step from Nix's description: spaces only (tabs are
 *   text); lines that are empty or hold only spaces do not count; an
 *   interpolation or an escape ends a line's leading whitespace, so it counts
 *   as text for the minimum; a final line of only spaces is dropped.
 */
import type { Expr } from './ast.js';
import { canonicalBytes, concatBytes } from '../value/bytes.js';

/** Resolves the escapes of a piece of `"..."` string text. */
export function unescapeDouble(raw: string): string {
  if (raw.indexOf('\\') < 0 && raw.indexOf('\r') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const d = raw[++i];
      if (d === 'n') out += '\n';
      else if (d === 'r') out += '\r';
      else if (d === 't') out += '\t';
      else if (d === '\r') {
        // `\` before a raw CR LF escapes the CR; the LF stays text.
        out += '\r';
      } else out += d;
    } else if (c === '\r') {
      out += '\n';
      if (raw[i + 1] === '\n') i++;
    } else out += c;
  }
  // `\` before an escaped byte gives that byte, which may complete the character before it.
  return canonicalBytes(out);
}

/**
 * One piece of an indented string before stripping: source text (which takes
 * part in indentation), an escape's result (which does not), or an
 * interpolated expression.
 */
export type IndentedPiece =
  | { readonly text: string; readonly escape: boolean }
  | { readonly expr: Expr };

/**
 * Splits raw indented-string text (between interpolations) into Nix's tokens:
 * source text, and escapes. Nix's lexer also makes a separate token of a `$`
 * before a quote and of a `'` before a `$`; they count as escapes (no
 * indentation), which only changes how `--parse` splits the string.
 */
export function splitIndented(raw: string, into: IndentedPiece[]): void {
  let start = 0;
  let i = raw.indexOf("''");
  while (i >= 0) {
    if (i > start) splitLoneTokens(raw.slice(start, i), true, into);
    const next = raw[i + 2];
    if (next === '$') { into.push({ text: '$', escape: true }); start = i + 3; }
    else if (next === "'") { into.push({ text: "''", escape: true }); start = i + 3; }
    else if (next === '\\' && i + 3 < raw.length) {
      into.push({ text: unescapeDouble('\\' + raw[i + 3]), escape: true });
      start = i + 4;
    } else {
      // Cannot happen in a parsed string (`''` alone closes it); keep it as text.
      into.push({ text: "''", escape: false });
      start = i + 2;
    }
    i = raw.indexOf("''", start);
  }
  if (start < raw.length) splitLoneTokens(raw.slice(start), false, into);
}

/** Pushes text, cutting out Nix's one-character `$` and `'` tokens; `beforeQuotes`: `''` follows. */
function splitLoneTokens(text: string, beforeQuotes: boolean, into: IndentedPiece[]): void {
  let start = 0;
  for (let j = 0; j < text.length; j++) {
    const c = text[j];
    const next = j + 1 < text.length ? text[j + 1] : beforeQuotes ? "'" : '';
    const lone = (c === '$' && next === "'") || (c === "'" && next === '$');
    if (!lone) continue;
    if (j > start) into.push({ text: text.slice(start, j), escape: false });
    into.push({ text: c, escape: true });
    start = j + 1;
  }
  if (start < text.length) into.push({ text: text.slice(start), escape: false });
}

/**
 * Strips the common indentation. `parts` has adjacent text merged and empty
 * text dropped; `tokens` keeps Nix's own split (one part per token), which
 * `nix-instantiate --parse` shows.
 */
export function stripIndentation(pieces: readonly IndentedPiece[]): { parts: Array<string | Expr>; tokens: Array<string | Expr> } {
  // Pass 1: the minimum indentation of lines that have something on them.
  let atStartOfLine = true;
  let minIndent = Number.MAX_SAFE_INTEGER;
  let curIndent = 0;
  for (const p of pieces) {
    if ('expr' in p || p.escape) {
      if (atStartOfLine) {
        atStartOfLine = false;
        if (curIndent < minIndent) minIndent = curIndent;
      }
      continue;
    }
    const s = p.text;
    for (let j = 0; j < s.length; j++) {
      const c = s[j];
      if (atStartOfLine) {
        if (c === ' ') curIndent++;
        else if (c === '\n') curIndent = 0;
        else {
          atStartOfLine = false;
          if (curIndent < minIndent) minIndent = curIndent;
        }
      } else if (c === '\n') {
        atStartOfLine = true;
        curIndent = 0;
      }
    }
  }

  // Pass 2: drop up to minIndent leading spaces of every line.
  const out: Array<string | Expr> = [];
  const tokens: Array<string | Expr> = [];
  atStartOfLine = true;
  let curDropped = 0;
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k];
    if ('expr' in p) {
      atStartOfLine = false;
      curDropped = 0;
      out.push(p.expr);
      tokens.push(p.expr);
      continue;
    }
    const s = p.text;
    let s2 = '';
    for (let j = 0; j < s.length; j++) {
      const c = s[j];
      if (atStartOfLine) {
        if (c === ' ') {
          if (curDropped++ >= minIndent) s2 += c;
        } else if (c === '\n') {
          curDropped = 0;
          s2 += c;
        } else {
          atStartOfLine = false;
          curDropped = 0;
          s2 += c;
        }
      } else {
        s2 += c;
        if (c === '\n') atStartOfLine = true;
      }
    }
    if (k === pieces.length - 1) {
      // The last line, when it holds only spaces, is not part of the string.
      const nl = s2.lastIndexOf('\n');
      if (nl >= 0 && /^ *$/.test(s2.slice(nl + 1))) s2 = s2.slice(0, nl + 1);
    }
    pushText(out, s2);
    if (s2 !== '') tokens.push(s2);
  }
  return { parts: out, tokens };
}

/** Appends text to a parts list, merging with a preceding text part and skipping empty text. */
export function pushText(parts: Array<string | Expr>, text: string): void {
  if (text === '') return;
  const last = parts.length - 1;
  if (last >= 0 && typeof parts[last] === 'string') parts[last] = concatBytes(parts[last] as string, text);
  else parts.push(text);
}
