/**
 * Nix values as plain JSON data, for comparing with what
 * `nix-instantiate --json` prints. Forces everything.
 */
import { NixAttrs, NixFloat, NixList, NixPath, NixString, type Lazy } from '../../src/eval/value/index.js';
import { force } from '../../src/eval/value/force.js';

export function plain(v: Lazy): unknown {
  const x = force(v);
  if (x === null || typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof NixFloat) return x.value;
  if (x instanceof NixString) return x.s;
  if (x instanceof NixPath) return x.path;
  if (x instanceof NixList) return x.items.map(plain);
  if (x instanceof NixAttrs) {
    const o: Record<string, unknown> = {};
    for (const k of x.sortedNames()) o[k] = plain(x.get(k)!);
    return o;
  }
  return `<${typeof x}>`;
}
