/**
 * The trace frames Nix adds when a builtin's argument has the wrong type:
 * "while evaluating the second argument passed to builtins.elemAt". Tests and
 * users see them with --show-trace, so every family words them the same way.
 */
const ORDINALS = ['first', 'second', 'third', 'fourth'];

export function argCtx(builtin: string, index: number): string {
  return `while evaluating the ${ORDINALS[index]} argument passed to ${QUOTED.has(builtin) ? `'builtins.${builtin}'` : `builtins.${builtin}`}`;
}

/** The few builtins whose argument contexts current Nix writes with the name in quotes. */
const QUOTED: ReadonlySet<string> = new Set(['elemAt', 'head', 'tail', 'storePath', 'dirOf']);
