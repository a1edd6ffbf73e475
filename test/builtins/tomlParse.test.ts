/**
 * The TOML reader against real Nix's fromTOML (Debian's 2.8 uses the same
 * toml11 library as current Nix for these cases), plus the table rules TOML
 * forbids and current Nix's timestamp form (documented in Nix's manual for
 * the parse-toml-timestamps experimental feature).
 */
import { parseToml, TomlError } from '../../src/eval/builtins/tomlParse.js';
import { nixJsonBatch } from './nixOracle.js';
import { plain } from './plain.js';

const DOCS = [
  'a = 1\nb = "two"\nc = 3.5\nd = true\ne = [1, 2, 3]',
  '[server]\nhost = "x"\nport = 80\n[server.tls]\nenabled = false',
  '[[fruit]]\nname = "apple"\n[fruit.physical]\ncolor = "red"\n[[fruit.variety]]\nname = "red delicious"\n[[fruit]]\nname = "banana"',
  'physical.color = "orange"\nphysical.shape = "round"\nsite."google.com" = true',
  "str1 = \"\"\"\nRoses are red\nViolets are blue\"\"\"\nstr2 = '''\nraw \\n text'''\nstr3 = \"\"\"one \\\n   two\"\"\"",
  'hex = 0xDEAD_beef\noct = 0o755\nbin = 0b1101\nneg = -17\nbig = 1_000_000\nflt = 6.626e-34\nexp = 5e+22',
  "inline = { x = 1, y = { z = \"w\" } }\narr = [ [1, 2], ['a', \"b\"], ]\nempty = {}",
  '"quoted key" = 1\n\'literal key\' = 2\n1234 = 3\n# comment\nkey = "value" # trailing',
  'a.b.c = 1\n[a.x]\ny = 2',
];

describe('TOML reader', () => {
  test('agrees with Nix on tables, arrays of tables, strings, numbers', async () => {
    const got = await nixJsonBatch(DOCS.map((d) => `builtins.fromTOML ${JSON.stringify(d).replace(/\$/g, '\\$')}`));
    DOCS.forEach((d, i) => expect({ d, v: plain(parseToml(d, false)) }).toEqual({ d, v: got[i] }));
  });

  test('rejects what TOML forbids', () => {
    for (const bad of ['a = 1\na = 2', '[t]\n[t]', 'a = {x = 1}\n[a]', 'a = [1]\n[[a]]', 'a.b = 1\n[a]\nb = 2', 'x = 9223372036854775808', 'k = "a\\u0000b"']) {
      expect(() => parseToml(bad, false)).toThrow(TomlError);
    }
  });

  test('dates: an error by default, timestamps in current Nix\'s form when enabled', () => {
    expect(() => parseToml('d = 1979-05-27', false)).toThrow('Dates and times are not supported');
    const v = plain(parseToml('a = 1979-05-27T07:32:00Z\nb = 1979-05-27 07:32:00.1\nc = 07:32:00.1234\nd = 1979-05-27', true));
    expect(v).toEqual({
      a: { _type: 'timestamp', value: '1979-05-27T07:32:00Z' },
      b: { _type: 'timestamp', value: '1979-05-27T07:32:00.100' },
      c: { _type: 'timestamp', value: '07:32:00.123400' },
      d: { _type: 'timestamp', value: '1979-05-27' },
    });
  });
});
