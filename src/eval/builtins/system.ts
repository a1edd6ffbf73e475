/**
 * What the evaluator knows about its host and its Nix: currentSystem,
 * currentTime, nixVersion, langVersion, storeDir, getEnv, placeholder.
 *
 * nixVersion names a current Nix release, so that nixpkgs' minimum-version
 * checks (`lib.versionAtLeast builtins.nixVersion ...`) pass: tsportable
 * implements today's language, whatever Nix binary the bridge calls.
 */
import { forceStringNoContext } from '../value/force.js';
import { evalSettings } from '../settings.js';
import { dependsOnTheWorld } from '../dependencies.js';
import { defineBuiltin, defineConstant } from './registry.js';
import { hashBytes, toNix32 } from './hashFormats.js';

/** The Nix release whose language tsportable follows. */
const NIX_VERSION = '2.31.2';
/** `builtins.langVersion` of that release. */
const LANG_VERSION = 6;

/** The store directory: $NIX_STORE_DIR or /nix/store, as Nix reads it. */
export function storeDir(): string {
  return process.env.NIX_STORE_DIR || '/nix/store';
}

/** Nix's name for the host platform ("x86_64-linux"). */
export function hostSystem(): string {
  const arch: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', arm: 'armv7l', riscv64: 'riscv64' };
  return `${arch[process.arch] ?? process.arch}-${process.platform}`;
}

defineConstant({ name: 'currentSystem', doc: 'The platform Nix runs on, e.g. "x86_64-linux".', value: hostSystem, impure: true });

let startTime: number | undefined;
defineConstant({
  name: 'currentTime',
  doc: 'The time evaluation started, in seconds since the epoch (the same value throughout an evaluation).',
  value: () => {
    dependsOnTheWorld('builtins.currentTime');
    return (startTime ??= Math.floor(Date.now() / 1000));
  },
  impure: true,
});

defineConstant({ name: 'nixVersion', doc: 'The version of Nix whose language is implemented.', value: () => NIX_VERSION });
defineConstant({ name: 'langVersion', doc: 'The version of the Nix language.', value: () => LANG_VERSION });
defineConstant({ name: 'storeDir', doc: 'The Nix store directory, "/nix/store" by default.', value: storeDir });

defineBuiltin({
  name: 'getEnv',
  arity: 1,
  doc: 'The value of an environment variable, or "" when it is not set (always "" in pure or restricted evaluation).',
  fn: ([n], span) => {
    const name = forceStringNoContext(n, span, 'while evaluating the first argument passed to builtins.getEnv');
    return evalSettings.pureEval || evalSettings.restrictEval ? '' : process.env[name] ?? '';
  },
});

/** The placeholder string Nix substitutes with an output path at build time. */
function outputPlaceholder(output: string): string {
  return '/' + toNix32(hashBytes('sha256', 'nix-output:' + output));
}

defineBuiltin({
  name: 'placeholder',
  arity: 1,
  global: true,
  doc: 'The placeholder for a derivation output ("out"), replaced by its path at build time.',
  fn: ([o], span) => outputPlaceholder(forceStringNoContext(o, span, 'while evaluating the first argument passed to builtins.placeholder')),
});
