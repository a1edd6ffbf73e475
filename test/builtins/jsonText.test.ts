/**
 * JSON text details against real Nix: float formatting (shortest digits,
 * ".0", two-digit exponents), string escapes, and fromJSON's number and
 * escape handling, including the errors for NUL and 64-bit overflow.
 */
import { jsonFloat, jsonString, parseJson, JsonError } from '../../src/eval/builtins/jsonText.js';
import { grisu2 } from '../../src/eval/builtins/grisu2.js';
import { NixFloat } from '../../src/eval/value/index.js';
import { nixJsonBatch, nixJsonText, nixErrors } from './nixOracle.js';
import { plain } from './plain.js';

/** Nix expressions for strings with every kind of character toJSON treats specially. */
const STRINGS = [
  '"plain"', '"quote \\" backslash \\\\ slash /"', '"tab\\t nl\\n cr\\r"', '"unicode ✓ é 😀"',
  "builtins.fromJSON ''\"ctl \\u0001 \\u001f \\u007f\"''", '"dollar \\${x}"',
];

describe('JSON text', () => {
  test('toJSON writes floats as current Nix does (nlohmann: Grisu2 digits, ".0", signed 2-digit exponents)', () => {
    // Debian's Nix 2.8 still printed floats with 6 significant digits; Nix 2.12
    // switched to nlohmann's writer (NixOS/nix#8259), whose notation rule is:
    // fixed between 1e-5 and 1e15, scientific outside, "1.0" for integral values.
    // Its Grisu2 digits are not always the shortest: -116.12066989062821 is the
    // documented example (psyclyx/fix#11, checked against nix-instantiate), and
    // 5e22, exactly halfway to its neighbour, falls outside Grisu2's interval.
    const cases: Array<[number, string]> = [
      [1.0, '1.0'], [1.5, '1.5'], [1.000001, '1.000001'], [1048576.1, '1048576.1'], [1e16, '1e+16'],
      [1e15, '1e+15'], [123456789012345, '123456789012345.0'], [-116.12066989062821, '-116.12066989062821'],
      [1e-5, '1e-05'], [0.0001, '0.0001'], [6.626e-34, '6.626e-34'], [5e22, '4.9999999999999996e+22'], [-0.01, '-0.01'],
      [0.1 + 0.2, '0.30000000000000004'], [1.5e-7, '1.5e-07'],
    ];
    for (const [x, text] of cases) expect([x, jsonFloat(x)]).toEqual([x, text]);
  });

  test('toJSON escapes strings as Nix does', async () => {
    const texts = await Promise.all(STRINGS.map((s) => nixJsonText(s)));
    const evaluated = await nixJsonBatch(STRINGS);
    STRINGS.forEach((_, i) => expect(jsonString(evaluated[i] as string)).toBe(texts[i]));
    // nlohmann (current Nix) writes \b and \f short; Nix 2.8's own writer used \u0008.
    expect(jsonString('\b\f')).toBe('"\\b\\f"');
  });

  test('fromJSON reads values as Nix does', async () => {
    const docs = [
      '{"a": [1, 2.5, -3, 1e2, true, false, null], "b": {"c": "d"}}',
      '"\\u00e9\\ud83d\\ude00\\n\\t\\/"',
      '[9223372036854775807, -9223372036854775808, 0.5e-3]',
      '{"x": 1, "x": 2}',
      '  [ ]  ',
    ];
    const got = await nixJsonBatch(docs.map((d) => `builtins.fromJSON ${JSON.stringify(d).replace(/\$/g, '\\$')}`));
    docs.forEach((d, i) => expect(plain(parseJson(d))).toEqual(got[i]));
    expect(parseJson('1.0')).toBeInstanceOf(NixFloat);
    expect(parseJson('9223372036854775807')).toBe(9223372036854775807n);
  });

  test('fromJSON errors', async () => {
    expect(() => parseJson('{"attr": 18446744073709551615}')).toThrow('unsigned json number 18446744073709551615 outside of Nix integer range');
    expect(() => parseJson('"a\\u0000b"')).toThrow("input string 'a␀b' cannot be represented as Nix string because it contains null bytes");
    expect(() => parseJson('[1,')).toThrow(JsonError);
    expect(() => parseJson('{"a":1} x')).toThrow(JsonError);
    const [err] = await nixErrors(['builtins.fromJSON "[1,"']);
    expect(err).toMatch(/^error: \[json\.exception\.parse_error\.101\]/);
  });
});

describe('Grisu2 digits', () => {
  test('always round-trip, and agree with the shortest digits for short decimals', () => {
    let x = 0.123456789;
    for (let i = 0; i < 2000; i++) {
      x = (x * 7919.37) % 1e6 + i * 1e-3;
      const { digits, exponent } = grisu2(x);
      expect(Number(`${digits}e${exponent}`)).toBe(x);
    }
    for (const d of [0.5, 0.25, 1.1, 2.2, 3.14, 100.5, 1e-3, 42.42]) expect(jsonFloat(d)).toBe(String(d));
  });
});
