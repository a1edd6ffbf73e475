/**
 * Nix's reserved words: never identifiers, and quoted when printed as
 * attribute names. `or` is not among them: it is a keyword only after a
 * selection (`a.b or c`) and remains a valid attribute name (`{ or = 1; }`).
 */
export const RESERVED_KEYWORDS: ReadonlySet<string> = new Set([
  'if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit',
]);
