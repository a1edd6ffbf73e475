/**
 * How Nix writes floats. Two forms exist and both are observable:
 * - printing a value (`nix-instantiate --eval`, error messages) uses C++'s
 *   default stream format, `%g` with 6 significant digits: 1.5, 1e+20, 0.0001;
 * - coercing to a string (`toString 1.5`, `"${...}"` is an error) uses
 *   `std::to_string`, i.e. `%f`: "1.500000".
 */

/** C's `%g` with precision 6, as `std::ostream << double` writes it. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return Object.is(x, NaN) && 1 / x < 0 ? '-nan' : 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expText] = x.toExponential(5).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const m = trimZeros(mant);
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  return trimZeros(x.toFixed(Math.max(0, 5 - exp)));
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** `std::to_string(double)`: `%f`, six decimals. */
export function floatToString(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Math.abs(x) < 1e21) return x.toFixed(6);
  return BigInt(Math.round(x)).toString() + '.000000';
}
