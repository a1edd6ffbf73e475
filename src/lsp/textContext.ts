/**
 * Where the cursor is, read from the text up to it, for completion: the file
 * is rarely valid Nix while a name is being typed (`pkgs.` then nothing), so
 * the parser cannot say. A small scanner follows Nix's lexical structure far
 * enough: comments, the two kinds of strings with their escapes and `${ }`
 * interpolations, and the brackets still open at the cursor. From those it
 * reads the dotted name being typed (`pkgs.lib.str`) and whether the cursor
 * is at the start of a binding inside the argument set of a builder call
 * (`pkgs.portableService { pn| }`).
 */

export interface TextContext {
  readonly offset: number;
  /** Inside a string's text or a comment: nothing to complete. */
  readonly inStringOrComment: boolean;
  /** The names before the one being typed: `pkgs.lib.str` gives `['pkgs', 'lib']`. */
  readonly chain: readonly string[];
  /** The part of the name typed so far (`str`), and where it starts. */
  readonly partial: string;
  readonly wordStart: number;
  /** Set when the cursor starts a binding in the set passed to a builder: the builder's name (`portableService`). */
  readonly builderArgs?: string;
}

type Mode = 'code' | 'string' | 'indented' | 'line-comment' | 'block-comment';

interface Open {
  readonly bracket: '{' | '[' | '(' | '${';
  readonly at: number;
  /** For `${`: the string to return to at its `}`. */
  readonly resume?: Mode;
}

const nameChar = /[A-Za-z0-9_'-]/;

/** Scans `text` up to `end`: the mode there and the brackets still open. */
function scan(text: string, end: number): { mode: Mode; open: Open[] } {
  let mode: Mode = 'code';
  const open: Open[] = [];
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    switch (mode) {
      case 'code':
        if (c === '#') mode = 'line-comment';
        else if (c === '/' && next === '*') { mode = 'block-comment'; i++; }
        else if (c === '"') mode = 'string';
        else if (c === '\'' && next === '\'') { mode = 'indented'; i++; }
        else if (c === '{' || c === '[' || c === '(') open.push({ bracket: c, at: i });
        else if (c === '}' || c === ']' || c === ')') {
          const top = open.pop();
          if (top?.bracket === '${') mode = top.resume!;
        }
        break;
      case 'line-comment':
        if (c === '\n' || c === '\r') mode = 'code';
        break;
      case 'block-comment':
        if (c === '*' && next === '/') { mode = 'code'; i++; }
        break;
      case 'string':
        if (c === '\\') i++;
        else if (c === '"') mode = 'code';
        else if (c === '$' && next === '{') { open.push({ bracket: '${', at: i, resume: 'string' }); mode = 'code'; i++; }
        break;
      case 'indented':
        if (c === '\'' && next === '\'') {
          const after = text[i + 2];
          if (after === '$' || after === '\'') i += 2; // ''$ and ''' are escapes
          else if (after === '\\') i += 3; // ''\x
          else { mode = 'code'; i++; }
        } else if (c === '$' && next === '{') { open.push({ bracket: '${', at: i, resume: 'indented' }); mode = 'code'; i++; }
        break;
    }
  }
  return { mode, open };
}

/** The last significant character before `end` (spaces and comments skipped roughly: only whitespace). */
function previousChar(text: string, end: number): string | undefined {
  for (let i = end - 1; i >= 0; i--) if (!/\s/.test(text[i]!)) return text[i];
  return undefined;
}

export function textContext(text: string, offset: number): TextContext {
  const { mode, open } = scan(text, offset);
  let wordStart = offset;
  while (wordStart > 0 && nameChar.test(text[wordStart - 1]!)) wordStart--;
  const partial = text.slice(wordStart, offset);
  const chain: string[] = [];
  let at = wordStart;
  while (at > 0 && text[at - 1] === '.') {
    let s = at - 1;
    while (s > 0 && nameChar.test(text[s - 1]!)) s--;
    if (s === at - 1) break;
    chain.unshift(text.slice(s, at - 1));
    at = s;
  }
  const base: TextContext = { offset, inStringOrComment: mode !== 'code', chain, partial, wordStart };
  const top = open[open.length - 1];
  if (top?.bracket !== '{' || chain.length > 0) return base;
  // At the start of a binding: right after `{` or after the `;` ending the previous one.
  const before = previousChar(text, wordStart);
  if (before !== '{' && before !== ';') return base;
  const callee = /([A-Za-z_][A-Za-z0-9_'-]*)\s*$/.exec(text.slice(0, top.at))?.[1];
  return callee !== undefined && callee !== 'rec' && callee !== 'let' ? { ...base, builderArgs: callee } : base;
}
