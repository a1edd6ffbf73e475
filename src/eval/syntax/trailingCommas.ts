/**
 * Finds the trailing commas of formals (`{ pkgs, lib, }:`), which the
 * published tree-sitter grammar rejects and nixfmt writes everywhere.
 *
 * Commas occur nowhere in Nix code except between formals, so a comma is a
 * trailing one when the next token is `}`, the token after that is `:` or `@`
 * (a function head), and the token before it ends a formal (not `{`, `,` or
 * `...`). Finding tokens needs a small lexer that knows where code is:
 * strings (with `${...}` nesting back into code), indented strings and their
 * escapes, comments, and URIs (`http://a,b` holds a comma). Doing this before
 * parsing costs a fraction of a second parse, which is what repairing the tree
 * afterwards would cost.
 */

import { skipBlank } from './blanks.js';

const URI = /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y;
const IDENT_CHAR = /[a-zA-Z0-9_'\-]/;

const enum Mode { Code, String, Indented }

/** Offsets of the commas to blank out (each one character), in source order. */
export function trailingFormalCommas(text: string): number[] {
  const found: number[] = [];
  if (!text.includes(',')) return found;
  // What each `{` / `${` opened, so that `}` knows which mode to return to.
  const frames: Mode[] = [];
  let mode = Mode.Code;
  // The last significant code character before the current one, and whether it ended `...`.
  let last = '';
  let lastEllipsis = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (mode === Mode.String) {
      if (c === '\\') i += 2;
      else if (c === '"') { mode = Mode.Code; last = '"'; i++; }
      else if (c === '$' && text[i + 1] === '{') { frames.push(Mode.String); mode = Mode.Code; last = '{'; i += 2; }
      else if (c === '$' && text[i + 1] !== '"' && text[i + 1] !== '\\') i += 2;
      else i++;
      continue;
    }
    if (mode === Mode.Indented) {
      if (c === "'" && text[i + 1] === "'") {
        const d = text[i + 2];
        if (d === '$' || d === "'") i += 3;
        else if (d === '\\') i += 4;
        else { mode = Mode.Code; last = "'"; i += 2; }
      } else if (c === '$' && text[i + 1] === '{') { frames.push(Mode.Indented); mode = Mode.Code; last = '{'; i += 2; }
      else if (c === '$' && text[i + 1] !== "'") i += 2;
      else i++;
      continue;
    }
    // Code.
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '#') { while (i < n && text[i] !== '\n' && text[i] !== '\r') i++; continue; }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    const afterEllipsis = lastEllipsis;
    lastEllipsis = false;
    if (c === '"') { mode = Mode.String; i++; continue; }
    if (c === "'" && text[i + 1] === "'") { mode = Mode.Indented; i += 2; continue; }
    if (c === '$' && text[i + 1] === '{') { frames.push(Mode.Code); last = '{'; i += 2; continue; }
    if (c === '{') { frames.push(Mode.Code); last = '{'; i++; continue; }
    if (c === '}') { mode = frames.pop() ?? Mode.Code; last = '}'; i++; continue; }
    if (c === '.' && text[i + 1] === '.' && text[i + 2] === '.') { last = '.'; lastEllipsis = true; i += 3; continue; }
    if (c === ',') {
      if (last !== '{' && last !== ',' && !afterEllipsis && closesFunctionHead(text, i + 1)) found.push(i);
      last = ',';
      i++;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      URI.lastIndex = i;
      const m = URI.exec(text);
      if (m) { i += m[0].length; last = 'u'; continue; }
      while (i < n && IDENT_CHAR.test(text[i])) i++;
      last = 'a';
      continue;
    }
    last = c;
    i++;
  }
  return found;
}

/** Whether `}` follows at `from` (after blanks), and then `:` or `@`. */
function closesFunctionHead(text: string, from: number): boolean {
  const close = skipBlank(text, from);
  if (text[close] !== '}') return false;
  const after = text[skipBlank(text, close + 1)];
  return after === ':' || after === '@';
}
