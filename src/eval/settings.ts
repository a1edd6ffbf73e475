/**
 * The evaluator's settings, as Nix's `--option NAME VALUE` (and nix.conf) set
 * them: process-wide, like Nix's global `evalSettings`. The CLI fills them
 * from its options; flake evaluation turns `pureEval` on, as `nix build` does
 * unless `--impure` is given.
 */
export interface EvalSettings {
  /** `pure-eval`: no currentSystem/currentTime/getEnv, no search path, no paths outside the store and the flake. */
  pureEval: boolean;
  /** `restrict-eval`: only paths in the search path (and the store) may be read. */
  restrictEval: boolean;
  /** `abort-on-warn`: the first warning is an error. */
  abortOnWarn: boolean;
  /** `max-call-depth`: deeper nesting of calls is "stack overflow; max-call-depth exceeded". */
  maxCallDepth: number;
  /** `allow-import-from-derivation`: importing or reading a path built by a derivation. */
  allowImportFromDerivation: boolean;
}

export const defaultEvalSettings: Readonly<EvalSettings> = {
  pureEval: false,
  restrictEval: false,
  abortOnWarn: false,
  maxCallDepth: 10000,
  allowImportFromDerivation: true,
};

export const evalSettings: EvalSettings = { ...defaultEvalSettings };

/** Back to the defaults (tests, the language server between documents). */
export function resetEvalSettings(): void {
  Object.assign(evalSettings, defaultEvalSettings);
}
