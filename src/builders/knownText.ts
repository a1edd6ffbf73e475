/**
 * What the builders know about a file they take as input, without building
 * anything: the text of a local file, or the text another builder plugin
 * writes (`concatText [ (writeText ...) ./x ]`). A derivation only Nix can
 * build has no known text: previews then say where it comes from instead.
 * Texts are Nix strings (eval/value/bytes.ts): a file is read as its bytes.
 */
import { readFileSync, statSync } from 'node:fs';
import type { PreviewEnv, StoreObject } from './types.js';
import { decodeBytes, osPath } from '../eval/value/bytes.js';

/** The text of a file-valued store object when it is known without Nix. */
export function knownText(obj: StoreObject, env: PreviewEnv): string | undefined {
  if (obj.kind === 'path') return readLocalFile(obj.path);
  if (obj.kind === 'string' || !obj.builtBy) return undefined;
  const p = obj.builtBy.plugin.preview(obj.builtBy.spec, env);
  return p.output === 'file' && !p.destination ? p.text : undefined;
}

function readLocalFile(path: string): string | undefined {
  try {
    return statSync(osPath(path)).isFile() ? decodeBytes(readFileSync(osPath(path))) : undefined;
  } catch {
    // A missing or unreadable file: the build will say so; a preview just does not know the text.
    return undefined;
  }
}

/** Nix's `baseNameOf` on a string: the last component, a single trailing slash ignored. */
export function baseNameOf(s: string): string {
  const end = s.length > 1 && s.endsWith('/') ? s.length - 1 : s.length;
  const slash = s.lastIndexOf('/', end - 1);
  return s.slice(slash + 1, end);
}
