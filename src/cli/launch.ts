/**
 * Runs the CLI in a worker thread with a large stack. The evaluator recurses
 * as Nix does, and the main thread's stack (about 1 MB) holds far fewer
 * nested Nix calls than Nix allows; a worker gets the stack it asks for
 * (reserved, not committed). The main thread only forwards signals: workers
 * receive none, and an interrupted build must clean up after itself, so the
 * first SIGINT/SIGTERM asks the worker to stop (the build aborts and removes
 * its temporary files); if it has not finished after a grace period, or on a
 * second signal, the worker is stopped and the exit code is 130.
 *
 * The worker's output reaches the terminal through this thread's stdout and
 * stderr, so their errors arrive here. When the reader goes away (`| head`),
 * writing fails with EPIPE: the rest of the output is dropped, the worker is
 * asked to stop as on a signal, and the process ends as other tools do, by
 * SIGPIPE, quietly.
 */
import { Worker } from 'node:worker_threads';

const enum Limits {
  /** MB of stack for the evaluator: deeper than Nix's default max-call-depth of 10,000 needs. */
  StackMb = 512,
  /** MB of young generation: big lists and sets allocate fast; fewer scavenges. */
  YoungGenerationMb = 64,
  /** ms an interrupted command gets to clean up before it is stopped. */
  GraceMs = 10_000,
}

export interface WorkerMessage {
  readonly exitCode: number;
}

/**
 * Ends the process by SIGPIPE, as `seq | head` ends `seq` (the shell sees
 * 141). Node ignores SIGPIPE; installing and removing a handler restores the
 * default action. Should the signal not end the process, the status is the same.
 */
function dieOfBrokenPipe(): void {
  const ignore = () => undefined;
  process.on('SIGPIPE', ignore);
  process.off('SIGPIPE', ignore);
  process.kill(process.pid, 'SIGPIPE');
  process.exit(128 + 13);
}

export async function launch(argv: readonly string[]): Promise<number> {
  // The language server talks over this process's own stdin and stdout, and evaluates in a worker of its own.
  if (argv[0] === 'lsp') return (await import('./run.js')).main(argv);
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    workerData: { argv },
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
    let brokenPipe = false;
    let outputFailed = false;
    const onOutputError = (stream: 'stdout' | 'stderr') => (e: NodeJS.ErrnoException) => {
      if (brokenPipe || outputFailed) return;
      // Whatever else the command writes has nowhere to go.
      for (const s of [worker.stdout, worker.stderr]) s.unpipe().resume();
      if (e.code === 'EPIPE') {
        brokenPipe = true;
        onSignal('SIGPIPE');
        return;
      }
      // A full disk, a closed descriptor: said on stderr when it is stdout that failed.
      outputFailed = true;
      if (stream === 'stdout') process.stderr.write(`tsportable: cannot write to stdout: ${e.message}\n`);
      exitCode = 1;
      void worker.terminate();
    };
    process.stdout.on('error', onOutputError('stdout'));
    process.stderr.on('error', onOutputError('stderr'));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    worker.on('message', (m: WorkerMessage) => {
      if (!outputFailed) exitCode = interrupted ? 130 : m.exitCode;
    });
    worker.on('error', (e) => {
      process.stderr.write(`tsportable: internal error (a bug in tsportable, please report it):\n${e.stack ?? String(e)}\n`);
      exitCode = 2;
    });
    worker.on('exit', (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (brokenPipe) dieOfBrokenPipe();
      resolve(exitCode ?? (code === 0 ? 1 : code));
    });
  });
}
