/**
 * The two substitutions of nixpkgs' stdenv, done on known texts for previews:
 * `--replace-fail` (replaceVars: every `@name@` must occur, and afterwards no
 * `@identifier@` may remain) and `--subst-var` (substituteAll: replace where
 * found, nothing checked). Replacements apply one after the other, in Nix's
 * attribute order, each over the result of the previous one, as the shell
 * function does.
 */
import type { NixText, PreviewEnv } from '../types.js';
import { canonicalBytes } from '../../eval/value/bytes.js';

export interface Substitution {
  readonly name: string;
  /** `null` keeps `@name@` as it is (replaceVars' way to allow it). */
  readonly value: NixText | null;
}

/** replaceVars' substitution and check; problems say what the real build would reject. */
export function replaceFail(
  builder: string, text: string, subs: readonly Substitution[], file: string, env: PreviewEnv,
): { text: string; problems: string[] } {
  const problems: string[] = [];
  let out = text;
  for (const s of subs) {
    const pattern = `@${s.name}@`;
    if (!out.includes(pattern)) {
      problems.push(`${builder}: ${pattern} does not occur in ${file}; the build fails (--replace-fail)`);
      continue;
    }
    if (s.value !== null) out = out.split(pattern).join(env.renderText(s.value));
  }
  for (const left of leftoverIdentifiers(out, subs.filter((s) => s.value === null).map((s) => s.name))) {
    problems.push(`${builder}: ${left} is still in ${file} after substitution; nixpkgs' check fails the build`);
  }
  return { text: canonicalBytes(out), problems };
}

/**
 * The `@identifier@` left in a text, as replaceVars' check finds them. Its
 * regex excludes the names kept on purpose with a lookahead built the same way
 * (`(?!a|b@)`, whose alternation nixpkgs does not group): built identically
 * here so that previews agree with builds.
 */
function leftoverIdentifiers(text: string, kept: readonly string[]): string[] {
  const lookahead = kept.length === 0 ? '' : `(?!${kept.join('|')}@)`;
  const re = new RegExp(`@${lookahead}[a-zA-Z_][0-9A-Za-z_'-]*@`, 'g');
  return [...new Set(text.match(re) ?? [])];
}

/** substituteAll's `--subst-var` for every variable: replaced where it occurs. */
export function substVars(text: string, subs: readonly Substitution[], env: PreviewEnv): string {
  let out = text;
  for (const s of subs) {
    if (s.value !== null) out = out.split(`@${s.name}@`).join(env.renderText(s.value));
  }
  return canonicalBytes(out);
}
