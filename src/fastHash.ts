/**
 * A 128-bit hash for the keys and checksums of the caches the CLI reads at
 * every start (the parse cache's keys and entries, the global-name sets of
 * compiled trees), cheap for a run that reads a few small files: tsportable's
 * native module computes it (grammar/src/binding.c describes it; hundreds of
 * megabytes a second, half a microsecond a call for a short input). The
 * command loads that module as it starts (bin/tsportable.js), so there is
 * nothing to spare by hashing short inputs in JavaScript, which, just loaded,
 * runs slowly (V8 optimises a loop only after many turns: the names of the
 * globals, 2 KB, took a millisecond); node:crypto's SHA-256 took 6 ms to
 * load, and converts a text to UTF-8 first.
 *
 * It is not a cryptographic hash. It finds accidental differences (edited
 * files, damaged entries) with the odds of 128 random bits; nobody is
 * defended against here, as the caches are written by the user's own runs in
 * the user's own directory. Hashes that leave the process or stand for
 * content to others (store paths, `builtins.hashString`, image keys) are
 * SHA-2s from `node:crypto`.
 */

import { nativeModule } from './native.js';

/**
 * The hash of a string's UTF-16 units (lone surrogates included), as 32 hex
 * digits; `seed` gives another, independent hash of the same text.
 */
export function hashText(text: string, seed = 0): string {
  return nativeModule().hashText(text, seed >>> 0);
}

/** Mixed into the seed of a hash of bytes: bytes and a text never share a hash by construction. */
const BYTES_SEED = 0x7f4a7c15;

/** The hash of bytes, as 32 hex digits. */
export function hashBytes(bytes: Uint8Array, seed = 0): string {
  return nativeModule().hashBytes(bytes, (seed ^ BYTES_SEED) >>> 0);
}

/** `hashBytes` of the parts one after another, without joining them first (an encoded tree of tens of megabytes is written in parts). */
export function hashByteParts(parts: readonly Uint8Array[], seed = 0): string {
  return nativeModule().hashParts(parts, (seed ^ BYTES_SEED) >>> 0);
}
