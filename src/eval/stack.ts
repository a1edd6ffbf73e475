/**
 * When the JavaScript stack runs out. The evaluator recurses as Nix does (a
 * Nix call is a few JS frames), so a deep evaluation can exhaust the JS stack
 * (a RangeError) before it reaches Nix's max-call-depth; the user then gets
 * Nix's own "stack overflow" error, never a JavaScript one.
 *
 * How much stack there is depends on the thread: the CLI evaluates in the
 * main thread (about 1 MB, enough for about a thousand nested Nix calls) and,
 * when that runs out, runs the command again in a worker with a big stack
 * (src/cli/launch.ts). So every place that turns a JS stack overflow into an
 * error goes through `jsStackOverflow`, which remembers that it happened: a
 * result computed after the stack ran out, even if the error was caught, is
 * not the one a bigger stack gives.
 */
import { NixError } from './errors.js';
import type { Span } from './span.js';
import { stackOverflow } from './value/force.js';

let exhausted = false;

/** Whether `e` is V8's "Maximum call stack size exceeded". */
export function isStackOverflow(e: unknown): e is RangeError {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** Nix's stack-overflow error for a JS stack overflow (or `error`, when given), noting that the stack ran out. */
export function jsStackOverflow(span?: Span, error: NixError = stackOverflow(span)): NixError {
  exhausted = true;
  return error;
}

/** Whether the JS stack has run out in this thread since it started. */
export function jsStackExhausted(): boolean {
  return exhausted;
}
