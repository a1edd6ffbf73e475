/**
 * Turns the ERROR and MISSING nodes of a tree-sitter tree into Nix-style
 * syntax errors: "syntax error, unexpected X, expecting Y", one per place,
 * with X named as Nix's parser names its tokens ('if', identifier, '~/…'
 * path, end of file, ...).
 *
 * Nix stops at its first syntax error; tree-sitter recovers and finds them
 * all, so tsportable reports every one (the first as the error, the others as
 * related). The token that was "found" is re-read from the source text with
 * Nix's own token rules, because tree-sitter's ERROR nodes group tokens
 * differently from where Nix's LALR parser would stop. Which token of an ERROR
 * Nix would have stopped at is a judgement (`locateError`): a nested ERROR or
 * MISSING node first; for a construct that started well (`if`, `with`, ...)
 * the token tree-sitter gave up on, or the end of the file; otherwise the
 * first token, or the second when the grammar's lookahead accepts the first.
 * On Nix's own parse-fail tests this gives Nix's exact message and position in
 * 33 of 39 cases; the other 6 differ only in the "expecting" list, which
 * comes from Nix's LALR tables and is reproduced only for common cases.
 */
import type { SyntaxNode, Tree } from 'tree-sitter';
import { acceptedSymbols } from './treeSitter.js';
import { NixError } from '../errors.js';
import type { PositionTable } from './positions.js';
import { RESERVED_KEYWORDS } from './keywords.js';
import { skipBlank } from './blanks.js';

/** A token of Nix's lexer at some offset, with the name Nix's messages give it. */
interface FoundToken { readonly start: number; readonly end: number; readonly name: string; readonly text: string }

/** Nix's lexer rules, longest match wins, ties go to the earlier rule. */
const TOKEN_RULES: ReadonlyArray<[RegExp, (t: string) => string]> = [
  [/\.\.\./y, () => "'...'"],
  [/==|!=|<=|>=|&&|\|\||->|\/\/|\+\+|<\||\|>/y, (t) => `'${t}'`],
  [/[a-zA-Z_][a-zA-Z0-9_'-]*/y, (t) => (RESERVED_KEYWORDS.has(t) || t === 'or' ? `'${t}'` : 'identifier')],
  [/[0-9]+/y, () => 'integer'],
  [/(([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?/y, () => 'floating-point literal'],
  [/\$\{/y, () => "'${'"],
  [/[a-zA-Z0-9._+-]*(\/[a-zA-Z0-9._+-]+)+\/?|[a-zA-Z0-9._+-]*\/(?=\$\{)/y, () => 'path'],
  [/~(\/[a-zA-Z0-9._+-]+)+\/?|~\/(?=\$\{)/y, () => "'~/…' path"],
  [/<[a-zA-Z0-9._+-]+(\/[a-zA-Z0-9._+-]+)*>/y, () => "'<…>' path"],
  [/[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y, () => 'URI'],
  [/''/y, () => 'start of an indented string'],
  [/[:;,.=?@()[\]{}<>+\-*/!"]/y, (t) => `'${t}'`],
];

/** The Nix token at (or after blanks from) offset `at`. */
export function tokenAt(text: string, at: number): FoundToken {
  const start = skipBlank(text, at);
  if (start >= text.length) return { start: text.length, end: text.length, name: 'end of file', text: '' };
  let best: FoundToken | undefined;
  for (const [re, name] of TOKEN_RULES) {
    re.lastIndex = start;
    const m = re.exec(text);
    if (m && m[0].length > 0 && (!best || m[0].length > best.end - best.start)) {
      best = { start, end: start + m[0].length, name: name(m[0]), text: m[0] };
    }
  }
  // Anything else (a non-ASCII byte, `%`, `&`, ...) is a character Nix's grammar has no token for.
  return best ?? { start, end: start + 1, name: 'invalid token', text: text[start] };
}

/** How Nix names a token tree-sitter reports as MISSING. */
function missingName(type: string): string | undefined {
  switch (type) {
    // tree-sitter stands in a MISSING identifier for any missing expression: Nix lists nothing then.
    case 'identifier': return undefined;
    case "''": return 'end of an indented string';
    case 'string_fragment': return 'string';
    default: return `'${type}'`;
  }
}

function isPipe(found: FoundToken): boolean {
  return found.text === '|>' || found.text === '<|';
}

/** Nix's message; for a pipe operator Nix's own (its experimental feature is off by default), see pipeHint. */
function messageFor(found: FoundToken, expecting?: string): string {
  if (isPipe(found)) {
    return "experimental Nix feature 'pipe-operators' is disabled; add '--extra-experimental-features pipe-operators' to enable it";
  }
  return `syntax error, unexpected ${found.name}${expecting ? `, expecting ${expecting}` : ''}`;
}

/** Nix's message points at a Nix option; tsportable has no pipe operators at all, which the user must learn too. */
function pipeHint(found: FoundToken): string {
  return `tsportable does not implement the pipe operator '${found.text}': write the application instead (x |> f is f x)`;
}

/** Tokens that start a construct which is still correct when tree-sitter's ERROR begins with them. */
const OPENERS: ReadonlySet<string> = new Set(['if', 'let', 'with', 'assert', 'rec', 'inherit']);
/** Tokens that can end an expression: after them, only the end of the file was wrong. */
const COMPLETE: ReadonlySet<string> = new Set([
  'identifier', 'integer_expression', 'float_expression', 'path_fragment', 'spath_expression',
  'uri_expression', '"', "''", ')', ']', '}',
]);

const ATTR_EXPECTED = "identifier or 'or' or '${' or '\"'";

/** The first ERROR or MISSING node strictly inside `node`, depth first. */
function firstNestedProblem(node: SyntaxNode): SyntaxNode | undefined {
  for (const child of node.children) {
    if (child.type === 'ERROR' || child.isMissing) return child;
    const inner = firstNestedProblem(child);
    if (inner) return inner;
  }
  return undefined;
}

function leaves(node: SyntaxNode, into: SyntaxNode[]): SyntaxNode[] {
  if (node.childCount === 0) into.push(node);
  else for (const child of node.children) leaves(child, into);
  return into;
}

/**
 * Where Nix's parser would have stopped for this ERROR node, and what it
 * would have expected. tree-sitter wraps in an ERROR the tokens it could not
 * fit, sometimes together with tokens that were still fine (`{ a = 1, b = 2 }`
 * holds `1 ,`); the parse state after the previous leaf says which.
 */
function locateError(node: SyntaxNode, text: string, previous: SyntaxNode | undefined): { found: FoundToken; expecting?: string } {
  const tokens = leaves(node, []);
  const nested = firstNestedProblem(node);
  if (nested) {
    const before = tokens.filter((t) => t.endIndex <= nested.startIndex && t.type !== 'comment').pop() ?? previous;
    if (nested.isMissing) return { found: tokenAt(text, nested.startIndex), expecting: missingName(nested.type) };
    return locateError(nested, text, before);
  }
  const atEnd = skipBlank(text, node.endIndex) >= text.length;
  const first = tokens[0]?.type;
  if (first === '.' && tokenAt(text, tokens[0].startIndex).text === '.') {
    // `a.<something that is not a name>`
    return { found: tokenAt(text, tokens[0].endIndex), expecting: ATTR_EXPECTED };
  }
  // A string never closed: Nix reads to the end of the file before it complains.
  if (first === '"' && !/(^|[^\\])(\\\\)*"/.test(text.slice(tokens[0].endIndex))) {
    return { found: tokenAt(text, text.length), expecting: "'\"'" };
  }
  if (first === "''" && !text.slice(tokens[0].endIndex).replace(/''['$\\]/g, '').includes("''")) {
    return { found: tokenAt(text, text.length), expecting: "indented string or '${' or end of an indented string" };
  }
  // Tokens after a complete file: Nix expected it to end there.
  const expecting = node.parent?.type === 'source_code' && node.previousNamedSibling ? 'end of file' : undefined;
  // An opening token with nothing after it.
  if (atEnd && tokens.length <= 1 && !expecting) return { found: tokenAt(text, text.length) };
  let at = node.startIndex;
  if (first && OPENERS.has(first)) {
    // `if 1 else`, `with a b`: the construct itself started well; tree-sitter
    // gave up at its last token, or Nix would only miss the rest at the end.
    const last = tokens[tokens.length - 1];
    if (atEnd && COMPLETE.has(last.type)) return { found: tokenAt(text, text.length), expecting: missingKeyword(first, tokens) };
    // What came before the offending token decides what was expected (`if then`: a condition, not 'then').
    const before = tokens.slice(0, -1);
    const missing = before.length > 1 && COMPLETE.has(before[before.length - 1].type) ? missingKeyword(first, before) : undefined;
    return { found: tokenAt(text, last.startIndex), expecting: missing };
  } else if (previous) {
    // tree-sitter may have split what Nix reads as one token (`->` as `-` `>`,
    // `http://x` as `http` `:`): take Nix's token from the previous leaf if it covers the spot.
    const covering = tokenAt(text, previous.startIndex);
    if (covering.start < at && covering.end > at) at = covering.start;
    else if (tokens.length > 1 && first && tokenAt(text, tokens[0].startIndex).end === tokens[0].endIndex
      && acceptedSymbols(previous.nextParseState).has(first)) at = tokens[1].startIndex;
  }
  return { found: tokenAt(text, at), expecting };
}

/** The keyword or `;` a construct still lacks: `if` without `then`/`else`, `with`/`assert` without `;`. */
function missingKeyword(first: string, tokens: readonly SyntaxNode[]): string | undefined {
  const types = new Set(tokens.map((t) => t.type));
  if (first === 'if') return !types.has('then') ? "'then'" : !types.has('else') ? "'else'" : undefined;
  if ((first === 'with' || first === 'assert') && !types.has(';')) return "';'";
  return undefined;
}

/** Every syntax error of a tree with `hasError`, in source order. */
export function collectSyntaxErrors(tree: Tree, text: string, table: PositionTable): NixError[] {
  const errors: NixError[] = [];
  const places = new Set<number>();
  let previous: SyntaxNode | undefined;
  const add = (found: FoundToken, expecting?: string) => {
    if (places.has(found.start)) return; // one report per place
    places.add(found.start);
    const error = new NixError('parse', messageFor(found, expecting), table.span(found.start, found.end));
    if (isPipe(found)) error.hints.push(pipeHint(found));
    errors.push(error);
  };
  const visit = (node: SyntaxNode) => {
    if (node.type === 'ERROR') {
      const { found, expecting } = locateError(node, text, previous);
      add(found, expecting);
    } else if (node.isMissing) {
      if (!isEmptyInherit(node)) add(tokenAt(text, node.startIndex), missingName(node.type));
      return;
    } else if (node.hasError) {
      for (const child of node.children) visit(child);
      return;
    }
    if (node.type !== 'comment') previous = lastLeaf(node);
  };
  visit(tree.rootNode);
  return errors;
}

/**
 * `inherit;` and `inherit (e);` are valid Nix (they define nothing); the
 * grammar wants a name and stands in a MISSING one, which lowering skips.
 */
function isEmptyInherit(node: SyntaxNode): boolean {
  return node.type === 'identifier' && node.parent?.type === 'inherited_attrs' && node.parent.namedChildCount === 1;
}

function lastLeaf(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.childCount > 0) {
    let last = n.lastChild!;
    while (last.type === 'comment' && last.previousSibling) last = last.previousSibling;
    n = last;
  }
  return n;
}
