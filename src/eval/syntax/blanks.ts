/** Skipping what Nix's lexer skips between tokens: whitespace and both kinds of comments. */

/** The offset of the next token at or after `i` (the text's length at the end). */
export function skipBlank(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */) {
      // A `#` comment ends at LF or at a lone CR, as in Nix.
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === 47 /* / */ && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else return i;
  }
}
