/**
 * Hash builtins: hashString, hashFile (base16 output) and convertHash (between
 * base16, nix32, base64 and SRI). The encodings live in hashFormats.ts.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { forceAttrs, forceString, forceStringNoContext } from '../value/force.js';
import { getAttr } from '../value/attrs.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';
import { diagnostics } from '../diagnostics.js';
import { readFileBytes, realisePath } from './fs.js';
import {
  BadHash, formatHash, hashBytes, isHashAlgo, parseAnyHash, parseHashFormat, unknownAlgoMessage, type HashAlgo,
} from './hashFormats.js';

function algoOf(name: string, span: Span | undefined): HashAlgo {
  if (!isHashAlgo(name)) throw new NixError('eval', unknownAlgoMessage(name), span);
  return name;
}

defineBuiltin({
  name: 'hashString',
  arity: 2,
  doc: 'The base-16 hash of a string with md5, sha1, sha256 or sha512.',
  fn: ([a, s], span) => {
    const algo = algoOf(forceStringNoContext(a, span, argCtx('hashString', 0)), span);
    const text = forceString(s, span, argCtx('hashString', 1));
    return formatHash(algo, hashBytes(algo, text), 'base16');
  },
});

defineBuiltin({
  name: 'hashFile',
  arity: 2,
  doc: 'The base-16 hash of a file\'s contents with md5, sha1, sha256 or sha512.',
  fn: ([a, p], span) => {
    const name = forceStringNoContext(a, span, argCtx('hashFile', 0));
    if (!isHashAlgo(name)) throw new NixError('eval', `unknown hash algorithm '${name}'`, span);
    const path = realisePath(p, span, argCtx('hashFile', 1));
    return formatHash(name, hashBytes(name, readFileBytes(path, span)), 'base16');
  },
});

defineBuiltin({
  name: 'convertHash',
  arity: 1,
  doc: 'Rewrites a hash ({ hash; hashAlgo?; toHashFormat; }) in another format: "base16", "nix32", "base64" or "sri".',
  fn: ([arg], span) => {
    const args = forceAttrs(arg, span, 'while evaluating the first argument passed to builtins.convertHash');
    const hash = forceStringNoContext(getAttr(args, 'hash', span, "while locating the attribute 'hash'"), span,
      "while evaluating the attribute 'hash'");
    const algoV = args.get('hashAlgo');
    const algo = algoV === undefined ? undefined
      : algoOf(forceStringNoContext(algoV, span, "while evaluating the attribute 'hashAlgo'"), span);
    const formatName = forceStringNoContext(getAttr(args, 'toHashFormat', span, "while locating the attribute 'toHashFormat'"),
      span, "while evaluating the attribute 'toHashFormat'");
    const format = parseHashFormat(formatName, (m) => diagnostics.write(`warning: ${m}`));
    if (!format) {
      throw new NixError('eval', `unknown hash format '${formatName}', expect 'base16', 'base32', 'base64', or 'sri'`, span);
    }
    try {
      const parsed = parseAnyHash(hash, algo);
      return formatHash(parsed.algo, parsed.bytes, format);
    } catch (e) {
      if (e instanceof BadHash) throw new NixError('eval', e.message, span);
      throw e;
    }
  },
});
