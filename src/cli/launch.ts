/**
 * Where a command runs: in the main thread when it can, in a worker thread
 * with a large stack when it must.
 *
 * The evaluator recurses as Nix does, and the main thread's stack (about
 * 1 MB) holds far fewer nested Nix calls than Nix allows; a worker gets the
 * stack it asks for (reserved, not committed). But starting a worker costs
 * about half of Node's own start-up, which most runs do not need. So a
 * command that runs once and ends (`MAIN_THREAD_FIRST`) runs in the main
 * thread, and if the JS stack ran out on the way (src/eval/stack.ts), it runs
 * again from the start in a worker. Evaluation is deterministic, so the
 * second run writes first what the first run had written before the stack
 * ran out: that much of its output is left out, and what the first run would
 * have written afterwards (the error) is not written at all. The language
 * server runs in the main thread as it is (it evaluates in a worker of its
 * own); other commands not in the list run in a worker.
 *
 * Signals: in a worker, the main thread forwards them (workers receive none):
 * the first SIGINT/SIGTERM asks the worker to stop (a build aborts and removes
 * its temporary files); if it has not finished after a grace period, or on a
 * second signal, the worker is stopped and the exit code is 130. In the main
 * thread, the same handlers are installed once the command first waits for
 * something (a build, a process): while it evaluates, the thread could not
 * run them, and a signal ends the process as it would any program.
 *
 * Output (src/stdio.ts): when the reader goes away (`| head`), writing
 * fails with EPIPE: the rest of the output is dropped, the command is asked
 * to stop as on a signal, and the process ends as other tools do, by
 * SIGPIPE, quietly. Any other failure to write (a full disk) is said in one
 * line, exit code 1. A worker's output reaches the terminal through this
 * thread's `process.stdout` and `process.stderr`, so their errors arrive here
 * either way.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { interrupt } from './command.js';
import { NixError } from '../eval/errors.js';
import { jsStackExhausted } from '../eval/stack.js';
import { dieOfBrokenPipe, outputFailed, watchOutput, writeOutput, writeThroughStreams } from '../stdio.js';

const enum Limits {
  /** MB of stack for the evaluator: deeper than Nix's default max-call-depth of 10,000 needs. */
  StackMb = 512,
  /** MB of young generation: big lists and sets allocate fast; fewer scavenges. */
  YoungGenerationMb = 64,
  /** ms an interrupted command gets to clean up before it is stopped. */
  GraceMs = 10_000,
}

/** The argument that tells the worker script it runs in the worker (bin/tsportable.js). */
export const WORKER_ARGUMENT = '--tsportable-worker';

/** Commands that run once and end: run in the main thread first (see above). */
const MAIN_THREAD_FIRST: ReadonlySet<string> = new Set(['eval', 'show', 'build', 'inspect']);

/**
 * What runs in the main thread as it is: what evaluates nothing, and the
 * language server (it talks over this process's own stdin and stdout, and
 * evaluates in a worker of its own).
 */
const MAIN_THREAD_ONLY: ReadonlySet<string | undefined> = new Set([undefined, '--version', '--help', '-h', 'help', 'lsp']);

export interface WorkerMessage {
  readonly exitCode: number;
}

/** What the worker is given. */
export interface WorkerData {
  readonly argv: readonly string[];
  /** Bytes of stdout and stderr the main thread already wrote, which the worker's run writes again first. */
  readonly written?: { readonly stdout: number; readonly stderr: number };
}

export interface LaunchOptions {
  /** The script a worker runs, given `WORKER_ARGUMENT`: it must then call `workerMain` (bin/tsportable.js does). */
  readonly workerScript: string | URL;
}

export async function launch(argv: readonly string[], options: LaunchOptions): Promise<number> {
  const name = argv[0];
  if (MAIN_THREAD_ONLY.has(name)) return (await import('./run.js')).main(argv);
  if (!MAIN_THREAD_FIRST.has(name!)) return inWorker({ argv }, options);
  // What the first run writes once the stack has run out is the worker's to write.
  const output = watchOutput(jsStackExhausted, () => interrupt.abort(new NixError('build', 'the output cannot be written')));
  // An error nothing caught is a bug, reported as the worker's are (exit code 2).
  process.on('uncaughtException', internalError);
  let untrap = () => {};
  const onceWaiting = setImmediate(() => { untrap = trapSignals(); });
  let exitCode: number;
  try {
    exitCode = await (await import('./run.js')).main(argv);
  } finally {
    clearImmediate(onceWaiting);
    untrap();
  }
  output.ended();
  if (output.failed() === 'pipe') dieOfBrokenPipe();
  if (output.failed() === 'other') return 1;
  if (interrupt.aborted) return 130;
  if (!jsStackExhausted()) return exitCode;
  return inWorker({ argv, written: output.written }, options);
}

/** What an error that escaped every handler says: it is a bug. */
function internalErrorText(e: unknown): string {
  return `tsportable: internal error (a bug in tsportable, please report it):\n${(e as Error)?.stack ?? String(e)}\n`;
}

function internalError(e: unknown): void {
  writeOutput('stderr', internalErrorText(e));
  process.exit(2);
}

/** The worker side of a skipped prefix: the first `count` bytes written to `stream` are dropped. */
function skipWritten(stream: NodeJS.WriteStream, count: number): void {
  if (count <= 0) return;
  const original = stream.write;
  let left = count;
  stream.write = function (this: typeof stream, chunk: unknown, ...rest: unknown[]): boolean {
    if (left > 0) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      if (bytes.byteLength <= left) {
        left -= bytes.byteLength;
        return true;
      }
      chunk = bytes.subarray(left);
      left = 0;
      // Anything else (encoding) applied to the original chunk.
      if (typeof rest[0] === 'string') rest.shift();
    }
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stream.write;
}

/**
 * SIGINT/SIGTERM in the main thread: the first aborts the command's work, the
 * second (or the end of the grace period) ends the process. Returns the undo.
 */
function trapSignals(): () => void {
  let interrupted = false;
  let grace: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    interrupt.abort(new NixError('build', `interrupted (${signal})`));
    grace = setTimeout(() => process.exit(130), Limits.GraceMs).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (grace) clearTimeout(grace);
  };
}

function inWorker(data: WorkerData, options: LaunchOptions): Promise<number> {
  const worker = new Worker(options.workerScript, {
    argv: [WORKER_ARGUMENT],
    workerData: data,
    resourceLimits: { stackSizeMb: Limits.StackMb, maxYoungGenerationSizeMb: Limits.YoungGenerationMb },
  });
  return new Promise((resolve) => {
    let exitCode: number | undefined;
    let interrupted = false;
    const stop = () => {
      exitCode = 130;
      void worker.terminate();
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) return stop();
      interrupted = true;
      worker.postMessage({ interrupt: signal });
      setTimeout(stop, Limits.GraceMs).unref();
    };
    const errors = watchOutput(() => false, () => {
      // Whatever else the command writes has nowhere to go.
      for (const s of [worker.stdout, worker.stderr]) s.unpipe().resume();
      if (errors.failed() === 'pipe') onSignal('SIGPIPE');
      else void worker.terminate();
    });
    for (const key of ['stdout', 'stderr'] as const) process[key].on('error', (e: NodeJS.ErrnoException) => outputFailed(key, e));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    worker.on('message', (m: WorkerMessage) => {
      exitCode = interrupted ? 130 : m.exitCode;
    });
    worker.on('error', (e) => {
      writeOutput('stderr', internalErrorText(e));
      exitCode = 2;
    });
    worker.on('exit', (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      errors.ended();
      if (errors.failed() === 'pipe') dieOfBrokenPipe();
      resolve(errors.failed() === 'other' ? 1 : exitCode ?? (code === 0 ? 1 : code));
    });
  });
}

/** The worker side: runs the command, reports its exit code, honours interrupts. */
export async function workerMain(): Promise<void> {
  const data = workerData as WorkerData;
  writeThroughStreams();
  skipWritten(process.stdout, data.written?.stdout ?? 0);
  skipWritten(process.stderr, data.written?.stderr ?? 0);
  const port = parentPort!;
  port.on('message', (m: { interrupt?: string }) => {
    if (m.interrupt) interrupt.abort(new NixError('build', `interrupted (${m.interrupt})`));
  });
  const exitCode = await (await import('./run.js')).main(data.argv);
  port.postMessage({ exitCode } satisfies WorkerMessage);
  // Let the thread end once its output is flushed.
  port.unref();
}
