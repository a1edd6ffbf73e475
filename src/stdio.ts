/**
 * Writing to stdout and stderr, and what happens when that fails.
 *
 * The bytes go straight to file descriptors 1 and 2 with `writeSync`: Node's
 * `process.stdout` and `process.stderr` are streams whose first use loads
 * node:net and node:stream, which costs a run that prints a screen of text
 * more than the printing. On Linux Node writes to pipes, files and terminals
 * synchronously too, so the order and the moment of each write are the same.
 * A descriptor left non-blocking by whoever started us (EAGAIN) is waited for.
 *
 * A command the CLI reruns in a worker thread (src/cli/launch.ts) writes
 * through the worker's `process.stdout`/`process.stderr` instead
 * (`writeThroughStreams`): they reach the main thread's, which drops the part
 * the first run already wrote.
 *
 * Failures (launch.ts says what the command does about them): when the reader
 * goes away (`| head`), EPIPE, the rest of the output is dropped and the
 * command is asked to stop (`watchOutput`); any other failure (a full disk) is
 * said in one line on stderr. Once the command has ended, or when nothing
 * watches, a broken pipe ends the process by SIGPIPE, quietly, and another
 * failure with exit code 1.
 */
import { writeSync } from 'node:fs';
import { nativeModule } from './native.js';

export type OutputStream = 'stdout' | 'stderr';

const FD: Readonly<Record<OutputStream, number>> = { stdout: 1, stderr: 2 };

/**
 * Whether the stream's descriptor is a terminal (asked of the descriptor: the
 * same in a worker thread). By tsportable's native module: node:tty's isatty
 * would load node:tty, node:net and the streams.
 */
export function isTerminal(stream: OutputStream): boolean {
  return nativeModule().isTerminal(FD[stream]);
}

let throughStreams = false;

/** From now on, this thread writes through `process.stdout` and `process.stderr` (a worker's reach the main thread). */
export function writeThroughStreams(): void {
  throughStreams = true;
}

/** What watches the output while a command runs (`watchOutput`). */
interface Watcher {
  /** Whether to write `bytes` more bytes to `stream` now (counted when so). */
  accept(stream: OutputStream, bytes: number): boolean;
  /** Asks the command to stop, after the first failure. */
  stop(): void;
}

let watcher: Watcher | undefined;
let failure: 'pipe' | 'other' | undefined;
let ended = false;

/** Writes `chunk` (a string as UTF-8) to the stream. */
export function writeOutput(stream: OutputStream, chunk: string | Uint8Array): void {
  if (throughStreams) {
    process[stream].write(chunk);
    return;
  }
  if (failure !== undefined) return;
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  if (watcher && !watcher.accept(stream, bytes.byteLength)) return;
  try {
    writeAll(FD[stream], bytes);
  } catch (e) {
    outputFailed(stream, e as NodeJS.ErrnoException);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) {
    try {
      done += writeSync(fd, bytes, done, bytes.byteLength - done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1); // a non-blocking descriptor that is full: wait for the reader
    }
  }
}

/** A write to `stream` failed (here, or in a stream carrying a worker's output: launch.ts). */
export function outputFailed(stream: OutputStream, e: NodeJS.ErrnoException): void {
  if (failure !== undefined) return;
  failure = e.code === 'EPIPE' ? 'pipe' : 'other';
  // A full disk, a closed descriptor: said on stderr when it is stdout that failed.
  if (failure === 'other' && stream === 'stdout') {
    try {
      writeAll(FD.stderr, Buffer.from(`tsportable: cannot write to stdout: ${e.message}\n`));
    } catch {
      // stderr is gone too
    }
  }
  if (watcher && !ended) watcher.stop();
  else if (failure === 'pipe') dieOfBrokenPipe();
  else process.exit(1);
}

/**
 * Watches the output of the command about to run: `drop` says when what it
 * writes is left out (and not counted); `stop` is called once, at the first
 * failure, to ask the command to stop. `written` counts the bytes written.
 */
export function watchOutput(drop: () => boolean, stop: () => void): {
  readonly written: Record<OutputStream, number>;
  /** The first failure, if any. */
  failed(): 'pipe' | 'other' | undefined;
  /** The command has ended: a failure now ends the process. */
  ended(): void;
} {
  const written = { stdout: 0, stderr: 0 };
  ended = false;
  watcher = {
    accept(stream, bytes) {
      if (drop()) return false;
      written[stream] += bytes;
      return true;
    },
    stop,
  };
  return { written, failed: () => failure, ended: () => { ended = true; } };
}

/**
 * Ends the process by SIGPIPE, as `seq | head` ends `seq` (the shell sees
 * 141). Node ignores SIGPIPE; installing and removing a handler restores the
 * default action. Should the signal not end the process, the status is the same.
 */
export function dieOfBrokenPipe(): void {
  const ignore = () => undefined;
  process.on('SIGPIPE', ignore);
  process.off('SIGPIPE', ignore);
  process.kill(process.pid, 'SIGPIPE');
  process.exit(128 + 13);
}
