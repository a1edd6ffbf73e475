/**
 * Real store paths in what a person reads. While it evaluates, the bridge
 * names a derivation by a placeholder (`/nix/store/000…N-name`) and asks Nix
 * for its real path only when a build needs it; Nix names it by its real path
 * everywhere. So every text a command shows from evaluation goes through here:
 * a printed value, an error's message, trace frames and hints,
 * `builtins.trace`'s lines, warnings.
 *
 * The real paths come from the bridge's resolution (bridge/resolve.ts): one
 * `nix-instantiate --eval` for the texts of one message, which instantiates
 * the derivations and builds nothing (the texts carry no context). A text
 * without a placeholder costs no Nix process. When Nix cannot give the paths
 * (the package named is itself broken), a message is shown as it is: the
 * error to show is the user's, not resolution's.
 */
import type { Bridge } from '../bridge/index.js';
import { diagnostics, type NixWarning } from '../eval/diagnostics.js';
import { NixError, type TraceFrame } from '../eval/errors.js';

/** `text` with the real store path where each placeholder is (Nix's errors are thrown). */
export function withRealPaths(bridge: Bridge, text: string): string {
  return withRealPathsEach(bridge, [text])[0]!;
}

/** `withRealPaths` of each text, in one Nix process at most (the chunks of a printed value). */
export function withRealPathsEach(bridge: Bridge, texts: readonly string[]): string[] {
  return bridge.resolve(texts.map((value) => ({ value }))).texts;
}

/** Messages with real paths, in one Nix process at most; as they are when Nix cannot give them. */
function messagesWithRealPaths(bridge: Bridge, messages: readonly string[]): string[] {
  try {
    return withRealPathsEach(bridge, messages);
  } catch (e) {
    // Nothing is built for a text without context: a 'build' error is an interruption, which still stops the command.
    if (e instanceof NixError && e.kind !== 'build') return [...messages];
    throw e;
  }
}

/** Trace frames with their messages replaced, in order, by `messages`. */
function framesWith(frames: readonly TraceFrame[], messages: readonly string[]): TraceFrame[] {
  return frames.map((f, i) => ({ ...f, message: messages[i]! }));
}

/** `err` with real paths in its message, trace frames, hints and related errors (changed in place). */
export function errorWithRealPaths(bridge: Bridge, err: NixError): NixError {
  const errors = [err, ...err.related];
  const texts = errors.flatMap((e) => [e.message, ...e.trace.map((f) => f.message), ...e.hints]);
  const real = messagesWithRealPaths(bridge, texts);
  let at = 0;
  const take = (n: number) => real.slice(at, (at += n));
  for (const e of errors) {
    e.message = take(1)[0]!;
    e.trace.splice(0, e.trace.length, ...framesWith(e.trace, take(e.trace.length)));
    e.hints.splice(0, e.hints.length, ...take(e.hints.length));
  }
  return err;
}

/** A warning with real paths in its message and trace frames. */
export function warningWithRealPaths(bridge: Bridge, w: NixWarning): NixWarning {
  const [message, ...frames] = messagesWithRealPaths(bridge, [w.message, ...w.trace.map((f) => f.message)]);
  return { ...w, message: message!, trace: framesWith(w.trace, frames) };
}

/** What a command shows of evaluation, with real paths until `end`. */
export interface RealPathsShown {
  /** The error a command failed with, with real paths (a NixError is changed in place). */
  inError<E>(e: E): E;
  /** Traces and warnings are shown as they were before (once: a second call does nothing). */
  end(): void;
}

/**
 * Real paths in what a command shows of evaluation: `builtins.trace` lines
 * and warnings from now until `end`, and the error it fails with (`inError`).
 */
export function showRealPaths(bridge: Bridge): RealPathsShown {
  const { write, warn } = diagnostics;
  diagnostics.write = (line) => write(messagesWithRealPaths(bridge, [line])[0]!);
  diagnostics.warn = (w) => warn(warningWithRealPaths(bridge, w));
  let ended = false;
  return {
    inError: (e) => (e instanceof NixError ? errorWithRealPaths(bridge, e) as typeof e : e),
    end() {
      if (ended) return;
      ended = true;
      diagnostics.write = write;
      diagnostics.warn = warn;
    },
  };
}
