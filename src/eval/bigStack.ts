/**
 * Running evaluation where the stack is large. The evaluator recurses as Nix
 * does (a Nix call is a few JS frames), and Node's main thread has about 1 MB
 * of stack: enough for ~1,000 nested Nix calls, where Nix manages 10,000 and
 * more. A worker thread gets the stack size we ask for (`stackSizeMb`), so
 * commands evaluate there; a larger young generation also spares the
 * garbage collector on big lists and sets.
 *
 * Only plain data crosses the thread boundary: the request, and the result or
 * the NixError (rebuilt on this side with its span, trace and hints).
 */
import { Worker } from 'node:worker_threads';
import { NixError, type ErrorKind, type TraceFrame } from './errors.js';
import type { Span } from './span.js';

export interface BigStackOptions {
  /** Default 512 MB (reserved, not committed: pages are used only as the stack grows). */
  readonly stackSizeMb?: number;
  /** Default 32 MB. */
  readonly youngGenerationMb?: number;
}

/** What a NixError becomes to cross the thread boundary. */
export interface SerializedError {
  readonly nix: boolean;
  readonly kind?: ErrorKind;
  readonly message: string;
  readonly span?: Span;
  readonly trace?: TraceFrame[];
  readonly hints?: string[];
  readonly related?: SerializedError[];
  readonly stack?: string;
}

/** A span as plain data (the parser's spans compute their fields lazily, which cloning would lose). */
function plainSpan(s: Span | undefined): Span | undefined {
  if (!s) return undefined;
  return {
    source: { path: s.source.path, text: s.source.text },
    line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn,
  };
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof NixError) {
    return {
      nix: true, kind: e.kind, message: e.message, span: plainSpan(e.span),
      trace: e.trace.map((t) => ({ message: t.message, span: plainSpan(t.span) })), hints: e.hints,
      related: e.related.map(serializeError),
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { nix: false, message: err.message, stack: err.stack };
}

export function deserializeError(s: SerializedError): Error {
  if (!s.nix) {
    const e = new Error(s.message);
    if (s.stack) e.stack = s.stack;
    return e;
  }
  const e = new NixError(s.kind ?? 'eval', s.message, s.span);
  e.trace.push(...(s.trace ?? []));
  e.hints.push(...(s.hints ?? []));
  e.related.push(...(s.related ?? []).map((r) => deserializeError(r) as NixError));
  return e;
}

/**
 * Calls `exportName(arg)` of the module at `moduleUrl` in a worker with a
 * large stack; resolves with its (structured-clonable) result.
 */
export function runOnBigStack<R>(
  moduleUrl: string | URL, exportName: string, arg: unknown, opts: BigStackOptions = {},
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const worker = new Worker(new URL('./bigStackWorker.js', import.meta.url), {
      workerData: { moduleUrl: String(moduleUrl), exportName, arg },
      resourceLimits: {
        stackSizeMb: opts.stackSizeMb ?? 512,
        maxYoungGenerationSizeMb: opts.youngGenerationMb ?? 32,
      },
    });
    let settled = false;
    worker.once('message', (m: { ok: true; value: R } | { ok: false; error: SerializedError }) => {
      settled = true;
      if (m.ok) resolve(m.value);
      else reject(deserializeError(m.error));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`evaluation worker exited with code ${code}`));
    });
  });
}
