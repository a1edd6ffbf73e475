/**
 * The exclude file that lets mksquashfs read the closure straight from /nix
 * instead of a copy of it. mksquashfs cannot be told "only these entries", so
 * the file excludes everything else with extended wildcards: `nix/!(store)`,
 * dot entries such as `.links`, and in /nix/store every name that is not a
 * closure path. Negating one list of names is racy-free (a path added to the
 * store during the build stays out) but mksquashfs reads at most 16 KiB per
 * line and tries each line against every store entry, so the names are split
 * by their leading characters, like a trie: `ab[!cd]*` drops names whose
 * third character is neither c nor d, then `abc!(…)` and `abd!(…)` drop the
 * names under each branch that are not in the closure. Lines whose literal
 * prefix does not match an entry fail at once, which keeps the matching cheap.
 */

const storePrefix = 'nix/store/';
/** mksquashfs 4.5 refuses exclude lines longer than 16384 bytes; keep a margin. */
const maxLine = 16000;
/** Names under one prefix before it is split further: small negations keep fnmatch's backtracking short. */
const maxGroup = 16;

/** Characters with a meaning in fnmatch's extended patterns, quoted with a backslash. */
function escapeGlob(s: string): string {
  return s.replace(/[\\*?[\]()|!@+]/g, (c) => `\\${c}`);
}

function emitGroup(prefix: string, names: readonly string[], lines: string[]): void {
  const rests = names.map((n) => escapeGlob(n.slice(prefix.length)));
  const line = `${storePrefix}${escapeGlob(prefix)}!(${rests.join('|')})`;
  const splittable = names.some((n) => n.length > prefix.length);
  if (!splittable || (names.length <= maxGroup && line.length <= maxLine)) {
    lines.push(line);
    return;
  }
  const byNext = new Map<string, string[]>();
  let prefixIsName = false;
  for (const n of names) {
    if (n.length === prefix.length) { prefixIsName = true; continue; }
    const c = n[prefix.length];
    (byNext.get(c) ?? byNext.set(c, []).get(c)!).push(n);
  }
  const chars = [...byNext.keys()].sort();
  lines.push(`${storePrefix}${escapeGlob(prefix)}[!${chars.map(escapeGlob).join('')}]*`);
  if (prefix !== '' && !prefixIsName) lines.push(`${storePrefix}${escapeGlob(prefix)}`);
  for (const c of chars) emitGroup(prefix + c, byNext.get(c)!, lines);
}

/** The lines of an exclude file (for `-wildcards -ef`) keeping exactly `storeNames` (base names in /nix/store) and the store directory. */
export function excludeLines(storeNames: readonly string[]): string[] {
  const lines = [`nix/!(store)`, `${storePrefix}.*`];
  const names = [...new Set(storeNames)].sort();
  if (names.length === 0) lines.push(`${storePrefix}*`);
  else emitGroup('', names, lines);
  return lines;
}
