/**
 * Hash encodings against real Nix: hashString's base16 output for each
 * algorithm, Nix's base32 (nix-hash --to-base32) both ways, and the parsing
 * rules of convertHash (prefixes, length-based detection, SRI), whose
 * expected results come from Nix's documentation and from the round trip.
 */
import { execa } from 'execa';
import {
  formatHash, fromNix32, hashBytes, parseAnyHash, BadHash, type HashAlgo,
} from '../../src/eval/builtins/hashFormats.js';
import { nixJsonBatch } from './nixOracle.js';

const ALGOS: HashAlgo[] = ['md5', 'sha1', 'sha256', 'sha512'];
const INPUTS = ['', 'hi', 'hello world\n', 'ünïcödé ✓'];

describe('hash formats', () => {
  test('hashString base16 agrees with Nix for every algorithm', async () => {
    const cases = ALGOS.flatMap((a) => INPUTS.map((s) => [a, s] as const));
    const got = await nixJsonBatch(cases.map(([a, s]) => `builtins.hashString "${a}" ${JSON.stringify(s)}`));
    cases.forEach(([a, s], i) => expect(formatHash(a, hashBytes(a, s), 'base16')).toBe(got[i]));
  });

  test('nix32 agrees with nix-hash --to-base32, and decodes back', async () => {
    for (const a of ALGOS) {
      const bytes = hashBytes(a, 'hi');
      const hex = bytes.toString('hex');
      const { stdout } = await execa('nix-hash', ['--type', a, '--to-base32', hex]);
      expect(formatHash(a, bytes, 'nix32')).toBe(stdout.trim());
      expect(fromNix32(stdout.trim(), bytes.length)!.toString('hex')).toBe(hex);
    }
  });

  test('convertHash parsing: prefixes, bare hashes by length, SRI', () => {
    const bytes = hashBytes('sha256', 'hi');
    const forms = {
      base16: formatHash('sha256', bytes, 'base16'),
      nix32: formatHash('sha256', bytes, 'nix32'),
      base64: formatHash('sha256', bytes, 'base64'),
    };
    // Nix's manual: sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= is the SRI of the empty string's sha256.
    expect(formatHash('sha256', hashBytes('sha256', ''), 'sri')).toBe('sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    for (const text of Object.values(forms)) {
      expect(parseAnyHash(text, 'sha256').bytes.equals(bytes)).toBe(true);
      expect(parseAnyHash(`sha256:${text}`, undefined).bytes.equals(bytes)).toBe(true);
    }
    expect(parseAnyHash(formatHash('sha256', bytes, 'sri'), undefined).algo).toBe('sha256');
    expect(() => parseAnyHash(forms.base16, undefined)).toThrow(BadHash);
    expect(() => parseAnyHash('abc', 'sha256')).toThrow("hash 'abc' has wrong length for hash algorithm 'sha256'");
    expect(() => parseAnyHash(`sha1:${forms.base16}`, 'sha256')).toThrow(BadHash);
    expect(() => parseAnyHash(`foo:${forms.base16}`, undefined)).toThrow("unknown hash algorithm 'foo'");
  });
});
