/**
 * Building and reading attribute sets from builtins and the interpreter.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { type Lazy, NixAttrs } from './index.js';

export function attrsFromEntries(entries: Iterable<readonly [string, Lazy]>): NixAttrs {
  return new NixAttrs(new Map(entries));
}

export function attrsFromRecord(rec: Record<string, Lazy>): NixAttrs {
  return new NixAttrs(new Map(Object.entries(rec)));
}

/** `set.name` or Nix's "attribute 'name' missing", with `ctx` as a trace frame. */
export function getAttr(set: NixAttrs, name: string, span?: Span, ctx?: string): Lazy {
  const v = set.get(name);
  if (v !== undefined) return v;
  const e = missingAttr(name, set, span);
  if (ctx) e.addTrace(ctx, span);
  throw e;
}

/** Nix's "attribute 'name' missing", with a hint at the set's similar names. */
export function missingAttr(name: string, set: NixAttrs, span: Span | undefined): NixError {
  const e = new NixError('eval', `attribute '${name}' missing`, span);
  const hint = didYouMean(name, set.sortedNames());
  if (hint) e.hints.push(hint);
  return e;
}

/** Nix's "Did you mean one of a, b?" hint: names within a small edit distance. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  return suggestionHint(closeNames(name, candidates));
}

/** The candidates within a small edit distance of `name` (at most ten). */
export function closeNames(name: string, candidates: readonly string[]): string[] {
  return candidates.filter((c) => levenshtein(name, c) <= 2).slice(0, 10);
}

/** "Did you mean a?" / "Did you mean one of a, b or c?", or nothing for no names. */
export function suggestionHint(close: readonly string[]): string | undefined {
  if (close.length === 0) return undefined;
  return close.length === 1 ? `Did you mean ${close[0]}?` : `Did you mean one of ${close.slice(0, -1).join(', ')} or ${close[close.length - 1]}?`;
}

function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
