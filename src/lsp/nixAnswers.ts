/**
 * The Nix questions of the language server's analyses (`pkgs ? foo`,
 * `pkgs.hello.meta.mainProgram`, a package set's names): asked by the
 * evaluator in the analysis worker, answered by Nix processes the main thread
 * runs, and remembered there.
 *
 * Why not run Nix in the worker, as the CLI does (bridge/runner.ts)? The
 * evaluator needs the answer synchronously, and a worker blocked in a
 * synchronous process can be neither cancelled by a newer edit nor
 * terminated. Here the worker posts the question and waits on a shared
 * counter in short slices, checking between them whether it should stop; the
 * process runs asynchronously in the main thread and its answer is kept even
 * when the analysis that asked has been abandoned, so the next analysis,
 * asking the same question, gets it at once. An analysis does not wait long:
 * past a moment (a fetch of a flake's inputs, a first look at nixpkgs) it
 * gives the worker back to the other documents and is run again once Nix has
 * answered (`serve`'s `answered`). An answer is reused while the question is
 * the same text (the bridge writes the same program for the same file) and
 * until a file of the directories it names is saved (`forget`); a failure (a
 * fetch offline, a process past its time) until any file is, so that it is
 * not tried again on every edit but is after a save.
 *
 * The bridge and the flake code give Nix their programs on its standard
 * input, which a question carries: nothing is left to clean up when a worker
 * gives up or the process ends while Nix runs. Analysis never builds: a question that would build or
 * add a derivation's output to the store gets a Nix-style error instead
 * (copying a flake's sources and fetching its locked inputs, which `nix
 * build` does before it evaluates, are questions like the others).
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { NixProgramName, NixRunner, RunResult } from '../bridge/runner.js';

/** Worker → main: one Nix process to run, and its standard input. */
interface Question {
  readonly id: number;
  readonly program: NixProgramName;
  readonly args: readonly string[];
  readonly input?: Uint8Array;
}

/** Main → worker. `ran`: a process ran for it (it was not an earlier answer). */
interface Answer {
  readonly id: number;
  readonly result: RunResult;
  readonly ran: boolean;
}

/** Slots of the shared Int32Array between the two threads. */
export const enum SyncSlot {
  /** The id of the worker call to abandon (engine.ts). */
  Cancel = 0,
  /** Bumped by the main thread after each answer, to wake the waiting worker. */
  Answers = 1,
  Size = 2,
}

const enum Tuning {
  /** ms the worker waits for an answer before checking whether it should stop. */
  WaitSliceMs = 20,
  /**
   * ms an analysis waits for Nix before it gives the worker back: most
   * questions (a package set's summaries) are answered within it; copying or
   * fetching a flake's inputs takes longer.
   */
  AnalysisPatienceMs = 500,
  /** Answers kept (a package set's names is one; a file's summaries a few). */
  MaxAnswers = 256,
  /** Characters of answers kept, about 2 bytes each. */
  MaxAnswerChars = 32 * 1024 * 1024,
}

/** Whether an analysis that has waited `ms` for Nix should give the worker back. */
export function outOfPatience(ms: number): boolean {
  return ms > Tuning.AnalysisPatienceMs;
}

function refusal(program: NixProgramName, args: readonly string[]): string | undefined {
  const builds = program === 'nix-store'
    ? args.some((a) => a === '--realise' || a === '-r' || a === '--add' || a === '--add-fixed')
    : !args.includes('--eval');
  if (!builds) return undefined;
  return `error: this needs a build ('${program} ${args[0] ?? ''}'), and the language server never builds while it analyses; use the "Build image" command`;
}

/**
 * The worker's NixRunner: posts each question to the main thread and waits
 * for the answer, calling `whileWaiting` between slices with the question and
 * the time waited so far (it throws to give up) and `waited` with the time
 * spent, which an analysis does not count as its own.
 */
export interface RemoteNixRunner extends NixRunner {
  /** Asks without waiting: the answer is kept for when the question is asked. */
  prefetch(program: NixProgramName, args: readonly string[]): void;
}

export function remoteNixRunner(port: MessagePort, sync: Int32Array, hooks: {
  whileWaiting(question: number, ms: number): void;
  waited(ms: number, ran: boolean): void;
}): RemoteNixRunner {
  const counts: Record<NixProgramName, number> = { 'nix-instantiate': 0, 'nix-store': 0 };
  let nextId = 1;
  return {
    counts,
    prefetch(program, args) {
      port.postMessage({ id: nextId++, program, args } satisfies Question);
    },
    run(program, args, options) {
      const refused = refusal(program, args);
      if (refused !== undefined) return { stdout: '', stderr: refused, exitCode: 1 };
      counts[program]++;
      const id = nextId++;
      const started = performance.now();
      port.postMessage({ id, program, args, input: options?.input } satisfies Question);
      for (;;) {
        const seen = Atomics.load(sync, SyncSlot.Answers);
        const got = receiveMessageOnPort(port);
        if (got !== undefined) {
          const answer = got.message as Answer;
          // An answer to a question an abandoned analysis asked: already remembered on the other side.
          if (answer.id !== id) continue;
          hooks.waited(performance.now() - started, answer.ran);
          return answer.result;
        }
        Atomics.wait(sync, SyncSlot.Answers, seen, Tuning.WaitSliceMs);
        hooks.whileWaiting(id, performance.now() - started);
      }
    },
  };
}

interface Remembered {
  readonly result: RunResult;
  readonly size: number;
}

const failed = (r: RunResult) => r.exitCode !== 0 || r.signal !== undefined;

/** The main thread's side: runs questions, remembers answers, answers repeated questions from memory. */
export class NixAnswers {
  private readonly answers = new Map<string, Remembered>();
  private readonly running = new Map<string, Promise<RunResult | undefined>>();
  private chars = 0;
  processes = 0;
  reused = 0;

  constructor(public timeoutMs: number) {}

  /**
   * Answers the questions arriving on `port` (one per worker); `sync` wakes
   * the worker. Returns `answered`: when the worker's question `id` has its
   * answer (at once if it has; the question may not have arrived yet, as the
   * worker's replies come by another channel; on the worker's end, at once).
   */
  serve(port: MessagePort, sync: Int32Array): (id: number) => Promise<void> {
    const pending = new Map<number, Promise<void>>();
    const notArrived = new Map<number, () => void>();
    let lastArrived = 0;
    port.on('message', (q: Question) => {
      lastArrived = q.id;
      const done = this.answer(q).then(({ result, ran }) => {
        port.postMessage({ id: q.id, result, ran } satisfies Answer);
        Atomics.add(sync, SyncSlot.Answers, 1);
        Atomics.notify(sync, SyncSlot.Answers);
      }).finally(() => pending.delete(q.id));
      pending.set(q.id, done);
      const waiting = notArrived.get(q.id);
      if (waiting) {
        notArrived.delete(q.id);
        void done.finally(waiting);
      }
    });
    port.on('close', () => {
      for (const resolve of notArrived.values()) resolve();
      notArrived.clear();
    });
    return (id) => pending.get(id)?.catch(() => undefined)
      ?? (id > lastArrived ? new Promise<void>((resolve) => notArrived.set(id, resolve)) : Promise.resolve());
  }

  /** Forgets the answers of questions that name `dir` (a file there was saved or changed), and the failures. */
  forget(dir: string): void {
    for (const [key, a] of this.answers) {
      if (key.includes(dir) || failed(a.result)) {
        this.answers.delete(key);
        this.chars -= a.size;
      }
    }
  }

  private async answer(q: Question): Promise<{ result: RunResult; ran: boolean }> {
    // The input as Latin-1: one character a byte, so that different inputs are different keys.
    const input = q.input && Buffer.from(q.input.buffer, q.input.byteOffset, q.input.byteLength).toString('latin1');
    const key = [q.program, ...q.args, ...(input === undefined ? [] : ['', input])].join('\u0000');
    const known = this.answers.get(key);
    if (known) {
      this.reused++;
      // Most recently used last: the first entries are the ones to drop.
      this.answers.delete(key);
      this.answers.set(key, known);
      return { result: known.result, ran: false };
    }
    let run = this.running.get(key);
    const ran = run === undefined;
    if (run === undefined) {
      run = this.run(q);
      this.running.set(key, run);
      void run.finally(() => this.running.delete(key));
    }
    const result = await run ?? {
      stdout: '', stderr: `error: ${q.program} took longer than ${this.timeoutMs} ms and was stopped (the language server's limit for one Nix process)`, exitCode: 1,
    };
    if (ran) this.remember(key, result);
    return { result, ran };
  }

  /** One process; undefined when it timed out. */
  private async run(q: Question): Promise<RunResult | undefined> {
    this.processes++;
    try {
      const { execa } = await import('execa');
      const r = await execa(q.program, q.args, {
        reject: false, ...(q.input ? { input: q.input } : { stdin: 'ignore' as const }), timeout: this.timeoutMs, maxBuffer: 1024 * 1024 * 1024,
      });
      if (r.timedOut) return undefined;
      return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? 1, signal: r.signal ?? undefined };
    } catch (e) {
      return { stdout: '', stderr: `error: cannot run ${q.program}: ${(e as Error).message}`, exitCode: 127 };
    }
  }

  private remember(key: string, result: RunResult): void {
    // A process killed by a signal (out of memory) is a failure like the others: kept until a save,
    // or the analysis it wakes would ask again, and start another.
    const size = key.length + result.stdout.length + result.stderr.length;
    if (size > Tuning.MaxAnswerChars / 4) return;
    this.answers.set(key, { result, size });
    this.chars += size;
    for (const [k, a] of this.answers) {
      if (this.answers.size <= Tuning.MaxAnswers && this.chars <= Tuning.MaxAnswerChars) break;
      this.answers.delete(k);
      this.chars -= a.size;
    }
  }
}
