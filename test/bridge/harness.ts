/**
 * Test support for the bridge: the real evaluator with a real bridge installed,
 * and real Nix evaluating the same expressions for comparison. Snippets are
 * evaluated as if written in test/bridge/fixtures/snippet.nix, so relative
 * paths reach the fixtures and spans name that file.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { createEvaluator, type Evaluator } from '../../src/eval/index.js';
import { createBridge, type Bridge } from '../../src/bridge/index.js';
import { packageRoot } from '../../src/paths.js';
import type { Value } from '../../src/eval/value/index.js';
import { decodeBytes, encodeBytes } from '../../src/eval/value/bytes.js';

export const fixtures = join(packageRoot, 'test', 'bridge', 'fixtures');
export const testNixpkgs = join(packageRoot, 'test', 'fixtures', 'nixpkgs');
export const snippetFile = join(fixtures, 'snippet.nix');

/** No network in tests: Nix must not wait for binary caches. */
export const nixEnv = { NIX_CONFIG: 'substituters =' };
process.env.NIX_CONFIG = nixEnv.NIX_CONFIG;

export interface Session {
  evaluator: Evaluator;
  bridge: Bridge;
  notices: string[];
  eval(text: string): Value;
}

export function session(searchPath: string[]): Session {
  const notices: string[] = [];
  let evaluator: Evaluator | undefined;
  const bridge = createBridge({
    searchPath,
    cwd: fixtures,
    importNative: (p) => evaluator!.evalFile(p),
    notice: (m) => notices.push(m),
    progress: false,
  });
  evaluator = createEvaluator({ searchPath: bridge.searchPath, cwd: fixtures });
  const ev = evaluator;
  return {
    evaluator: ev, bridge, notices,
    eval: (text) => ev.force(ev.evalExpr(text, fixtures, snippetFile)),
  };
}

/**
 * The hooks are global: each describe block installs its session's bridge
 * before its tests run.
 */
export function useSession(searchPath: string[]): Session {
  const s = session(searchPath);
  beforeAll(() => s.bridge.install());
  return s;
}

/**
 * What real Nix gives for the string an expression evaluates to (outputs not
 * built). The expression goes to Nix's stdin as bytes and the string comes
 * back printed, so that it may hold bytes that are not UTF-8 (lone surrogates
 * U+DC80–U+DCFF, src/eval/value/bytes.ts).
 */
export async function nixString(expr: string, searchPath: string[]): Promise<string> {
  const r = await execa('nix-instantiate',
    ['--eval', '--read-write-mode', ...searchPath.flatMap((p) => ['-I', p]), '-'],
    { cwd: fixtures, env: nixEnv, input: encodeBytes(`"\${${expr}}"`), encoding: 'buffer' });
  const printed = decodeBytes(r.stdout).trimEnd();
  // Nix's printed form of a string: quotes, and backslash escapes.
  return printed.slice(1, -1).replace(/\\(.)/gs, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}
