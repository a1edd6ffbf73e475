/**
 * The digest that names a cached rebuild's record and tells environments
 * apart (src/cli/rebuild.ts) is FNV-1a over 64 bits, computed in two 32-bit
 * halves: it must give the published test vectors and agree with the same
 * function in BigInt arithmetic on any text, lone surrogates included.
 */
import { digest64 } from '../../src/cli/rebuild.js';

/** FNV-1a, 64 bits, over UTF-16 units, in BigInt arithmetic. */
function reference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

test('the published vectors of FNV-1a 64', () => {
  expect(digest64('')).toBe('cbf29ce484222325');
  expect(digest64('a')).toBe('af63dc4c8601ec8c');
  expect(digest64('foobar')).toBe('85944171f73967e8');
});

test('the same digest as BigInt arithmetic, on long and unusual texts', () => {
  const texts = ['x'.repeat(5000), JSON.stringify(process.env), '\u{1F600}\udc80ü\u0000\uffff', Array.from({ length: 3000 }, (_, i) => String.fromCharCode(i * 37 % 65536)).join('')];
  for (const t of texts) expect(digest64(t)).toBe(reference(t));
});
