/**
 * Nix's version ordering (`compareVersions`, `splitVersion`, `parseDrvName`),
 * on which nixpkgs' `lib.versionAtLeast` and minimum-Nix checks rely.
 *
 * A version is read as components: runs of digits, and runs of other
 * characters, with `.` and `-` only separating. Two components compare as
 * numbers when both are (32-bit) integers; otherwise "" < number, "pre" is
 * below everything else, letters are below numbers ("2.3a" < "2.3.1"), and
 * two words compare bytewise. A missing component counts as "".
 */

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** The components of a version, in order; separators are dropped. */
export function versionComponents(v: string): string[] {
  const out: string[] = [];
  let p = 0;
  for (;;) {
    const c = nextComponent(v, p);
    if (c.text === '') return out;
    out.push(c.text);
    p = c.end;
  }
}

function nextComponent(v: string, p: number): { text: string; end: number } {
  while (p < v.length && (v[p] === '.' || v[p] === '-')) p++;
  const s = p;
  if (p < v.length && isDigit(v[p])) {
    while (p < v.length && isDigit(v[p])) p++;
  } else {
    while (p < v.length && !isDigit(v[p]) && v[p] !== '.' && v[p] !== '-') p++;
  }
  return { text: v.slice(s, p), end: p };
}

/** A component as Nix's 32-bit integer parse sees it, or undefined. */
function asInt(c: string): number | undefined {
  if (c === '' || !/^[0-9]+$/.test(c)) return undefined;
  const n = Number(c);
  return n <= 0x7fffffff ? n : undefined;
}

function componentLess(c1: string, c2: string): boolean {
  const n1 = asInt(c1);
  const n2 = asInt(c2);
  if (n1 !== undefined && n2 !== undefined) return n1 < n2;
  if (c1 === '' && n2 !== undefined) return true;
  if (c1 === 'pre' && c2 !== 'pre') return true;
  if (c2 === 'pre') return false;
  if (n2 !== undefined) return true;
  if (n1 !== undefined) return false;
  return Buffer.compare(Buffer.from(c1), Buffer.from(c2)) < 0;
}

/** -1, 0 or 1, as `builtins.compareVersions`. */
export function compareVersionStrings(a: string, b: string): -1 | 0 | 1 {
  let p1 = 0;
  let p2 = 0;
  while (p1 < a.length || p2 < b.length) {
    const c1 = nextComponent(a, p1);
    const c2 = nextComponent(b, p2);
    p1 = c1.end;
    p2 = c2.end;
    if (componentLess(c1.text, c2.text)) return -1;
    if (componentLess(c2.text, c1.text)) return 1;
  }
  return 0;
}

/** Splits `apache-httpd-2.0.48` at the first dash not followed by a letter. */
export function splitDrvName(s: string): { name: string; version: string } {
  for (let i = 0; i + 1 < s.length; i++) {
    if (s[i] === '-' && !/[A-Za-z]/.test(s[i + 1])) return { name: s.slice(0, i), version: s.slice(i + 1) };
  }
  return { name: s, version: '' };
}
