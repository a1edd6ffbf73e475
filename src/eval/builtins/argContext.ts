/**
 * The trace frames Nix adds when a builtin's argument has the wrong type:
 * "while evaluating the second argument passed to builtins.elemAt". Tests and
 * users see them with --show-trace, so every family words them the same way.
 */
const ORDINALS = ['first', 'second', 'third', 'fourth'];

/** Made once per builtin: builtins ask for them on every call, though they are read only on errors. */
const made = new Map<string, string[]>();

export function argCtx(builtin: string, index: number): string {
  let texts = made.get(builtin);
  if (texts === undefined) {
    const shown = QUOTED.has(builtin) ? `'builtins.${builtin}'` : `builtins.${builtin}`;
    texts = ORDINALS.map((ordinal) => `while evaluating the ${ordinal} argument passed to ${shown}`);
    made.set(builtin, texts);
  }
  return texts[index];
}

/** The few builtins whose argument contexts current Nix writes with the name in quotes. */
const QUOTED: ReadonlySet<string> = new Set(['elemAt', 'head', 'tail', 'storePath', 'dirOf']);
