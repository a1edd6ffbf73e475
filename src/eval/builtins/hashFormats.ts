/**
 * Hash algorithms and the textual forms Nix writes hashes in: base16, Nix's own
 * base32 ("nix32": a 32-letter alphabet without e, o, u, t, read from the last
 * byte), base64 and SRI (`sha256-<base64>`). Used by hashString, hashFile and
 * convertHash.
 *
 * The hard part is parsing: a hash may come with an `algo:` or `algo-` prefix,
 * or bare with the algorithm given separately; a bare hash's encoding is told
 * by its length alone, as Nix does.
 */
import { createHash } from 'node:crypto';
import { encodeBytes } from '../value/bytes.js';

export type HashAlgo = 'md5' | 'sha1' | 'sha256' | 'sha512';
export type HashFormat = 'base16' | 'nix32' | 'base64' | 'sri';

const SIZES: Record<HashAlgo, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

export function isHashAlgo(s: string): s is HashAlgo {
  return Object.hasOwn(SIZES, s);
}

/** Nix's message for an unknown algorithm name. */
export function unknownAlgoMessage(name: string): string {
  return `unknown hash algorithm '${name}', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'`;
}

/** The hash of some bytes, or of a Nix string's bytes. */
export function hashBytes(algo: HashAlgo, data: Uint8Array | string): Buffer {
  return createHash(algo).update(typeof data === 'string' ? encodeBytes(data) : data).digest();
}

const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';

function nix32Length(size: number): number {
  return Math.floor((size * 8 - 1) / 5) + 1;
}

export function toNix32(bytes: Uint8Array): string {
  const len = nix32Length(bytes.length);
  let s = '';
  for (let n = len - 1; n >= 0; n--) {
    const b = n * 5;
    const i = b >> 3;
    const j = b & 7;
    const c = (bytes[i] >> j) | (i + 1 < bytes.length ? bytes[i + 1] << (8 - j) : 0);
    s += NIX32[c & 0x1f];
  }
  return s;
}

/** Decodes nix32; undefined when a letter is outside the alphabet or bits overflow. */
export function fromNix32(s: string, size: number): Buffer | undefined {
  const out = Buffer.alloc(size);
  for (let n = 0; n < s.length; n++) {
    const digit = NIX32.indexOf(s[s.length - 1 - n]);
    if (digit < 0) return undefined;
    const b = n * 5;
    const i = b >> 3;
    const j = b & 7;
    out[i] |= (digit << j) & 0xff;
    const carry = digit >> (8 - j);
    if (i + 1 < size) out[i + 1] |= carry;
    else if (carry) return undefined;
  }
  return out;
}

export function formatHash(algo: HashAlgo, bytes: Uint8Array, format: HashFormat): string {
  switch (format) {
    case 'base16':
      return Buffer.from(bytes).toString('hex');
    case 'nix32':
      return toNix32(bytes);
    case 'base64':
      return Buffer.from(bytes).toString('base64');
    case 'sri':
      return `${algo}-${Buffer.from(bytes).toString('base64')}`;
  }
}

/** Reads a hash format name; `base32` is Nix's deprecated alias (warns). */
export function parseHashFormat(name: string, warn: (msg: string) => void): HashFormat | undefined {
  if (name === 'base32') {
    warn('"base32" is a deprecated alias for hash format "nix32".');
    return 'nix32';
  }
  return name === 'base16' || name === 'nix32' || name === 'base64' || name === 'sri' ? name : undefined;
}

export class BadHash extends Error {}

/**
 * Parses a hash as convertHash accepts it: `algo-base64` (SRI), `algo:any`,
 * or bare with `algo` given. Throws BadHash with Nix's wording.
 */
export function parseAnyHash(text: string, algo: string | undefined): { algo: HashAlgo; bytes: Buffer } {
  let rest = text;
  let found: string | undefined;
  let sri = false;
  const colon = text.indexOf(':');
  const dash = text.indexOf('-');
  if (colon >= 0) {
    found = text.slice(0, colon);
    rest = text.slice(colon + 1);
  } else if (dash >= 0) {
    found = text.slice(0, dash);
    rest = text.slice(dash + 1);
    sri = true;
  }
  if (found !== undefined) {
    if (!isHashAlgo(found)) throw new BadHash(unknownAlgoMessage(found));
    if (algo !== undefined && algo !== found) {
      throw new BadHash(`hash '${text}' should have type '${algo}'`);
    }
  }
  const a = found ?? algo;
  if (a === undefined) {
    throw new BadHash(`hash '${text}' does not include a type, nor is the type otherwise known from context`);
  }
  if (!isHashAlgo(a)) throw new BadHash(unknownAlgoMessage(a));
  const size = SIZES[a];
  let bytes: Buffer | undefined;
  if (sri) {
    bytes = decodeBase64(rest);
    if (!bytes || bytes.length !== size) throw new BadHash(`invalid SRI hash '${text}'`);
    return { algo: a, bytes };
  }
  if (rest.length === size * 2 && /^[0-9a-fA-F]*$/.test(rest)) bytes = Buffer.from(rest, 'hex');
  else if (rest.length === nix32Length(size)) bytes = fromNix32(rest, size);
  else if (rest.length === Math.ceil(size / 3) * 4) {
    bytes = decodeBase64(rest);
    if (bytes && bytes.length !== size) bytes = undefined;
  } else {
    throw new BadHash(`hash '${text}' has wrong length for hash algorithm '${a}'`);
  }
  if (!bytes) throw new BadHash(`invalid base-${rest.length === size * 2 ? 16 : rest.length === nix32Length(size) ? 32 : 64} hash '${rest}'`);
  return { algo: a, bytes };
}

function decodeBase64(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  return Buffer.from(s, 'base64');
}
