/**
 * The main thread's side of the analysis worker. Evaluation is synchronous and
 * recursive, so it runs in a worker thread with a large stack (as the CLI's
 * does, cli/launch.ts) and a heap limit, and the main thread stays free to
 * speak LSP. Requests run one at a time, in order; for each the engine makes
 * sure it ends:
 * - a newer request with the same `supersede` key (the next edit of a
 *   document) replaces one still queued, and cancels one running: the worker
 *   polls a shared flag (eval/cancel.ts) and gives up within a millisecond;
 * - the worker enforces the time limit itself; should it still not answer
 *   (a loop that calls no function, a builtin working through a huge list),
 *   a watchdog terminates it, and a worker that dies (out of memory) is
 *   replaced. A new worker loses only caches: documents come with each
 *   request, and Nix answers live on this side (nixAnswers.ts);
 * - a worker whose heap grew past three quarters of its limit is replaced
 *   after its answer, so memory stays bounded over thousands of edits.
 * An analysis that Nix is slow to answer (a flake's inputs being fetched)
 * ends with `WaitingForNix` rather than hold the worker: the server runs it
 * again when the answer is there.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { CancellationToken } from 'vscode-languageserver';
import { NixAnswers, SyncSlot } from './nixAnswers.js';
import type { EngineRequest, EngineResults, ServerConfig, ServerStatus, WorkerCall, WorkerReply } from './protocol.js';

const enum Limits {
  /** MB of stack: as the CLI's worker, deeper than Nix's default max-call-depth needs. */
  StackMb = 512,
  YoungGenerationMb = 32,
  /** ms a request may overrun its time limit before the watchdog stops the worker. */
  WatchdogGraceMs = 3000,
}

/** Why a request got no answer: the worker failed or was stopped (the server turns it into a diagnostic). */
export class EngineFailure extends Error {}

/** An analysis gave the worker back while Nix answers one of its questions; `answered` settles when Nix has. */
export class WaitingForNix extends Error {
  constructor(readonly answered: Promise<void>) {
    super('the analysis waits for Nix');
  }
}

interface Pending {
  readonly id: number;
  readonly request: EngineRequest;
  readonly supersede?: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class Engine {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  /** When the current worker's question has its answer (NixAnswers.serve). */
  private answered: (question: number) => Promise<void> = () => Promise.resolve();
  private readonly sync = new Int32Array(new SharedArrayBuffer(SyncSlot.Size * Int32Array.BYTES_PER_ELEMENT));
  private readonly queue: Pending[] = [];
  private running: Pending | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private nextId = 1;
  private epoch = 0;
  private stopped = false;
  readonly answers: NixAnswers;
  private readonly counts = { analyses: 0, cancelled: 0, waitedForNix: 0, workerRestarts: 0 };

  /** Where the engine reports what it does (worker restarts); the server sends it to the client's log. */
  log: (message: string) => void = (m) => process.stderr.write(`${m}\n`);

  constructor(private config: ServerConfig) {
    this.answers = new NixAnswers(config.nixTimeoutMs);
  }

  /** New settings (the client's): requests from now on use them; a new heap limit needs a new worker. */
  configure(config: ServerConfig): void {
    const restart = this.worker !== undefined && config.memoryLimitMb !== this.config.memoryLimitMb;
    this.config = config;
    this.answers.timeoutMs = config.nixTimeoutMs;
    if (restart && !this.running) {
      this.killWorker();
      this.warm();
    }
  }

  /** Starts the worker ahead of the first request (its modules take a moment to load). */
  warm(): void {
    this.ensureWorker();
  }

  /**
   * Runs a request in the worker. Resolves with undefined when it was
   * superseded or cancelled (`token`); rejects with EngineFailure when the
   * worker failed, with WaitingForNix when an analysis waits for Nix.
   */
  request<K extends EngineRequest['kind']>(
    request: Extract<EngineRequest, { kind: K }>,
    options: { readonly supersede?: string; readonly token?: CancellationToken } = {},
  ): Promise<EngineResults[K] | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, request, supersede: options.supersede, resolve: resolve as (v: unknown) => void, reject };
      if (options.supersede !== undefined) {
        for (const q of this.queue.filter((p) => p.supersede === options.supersede)) this.drop(q);
        if (this.running?.supersede === options.supersede) this.cancelRunning();
      }
      options.token?.onCancellationRequested(() => {
        if (this.queue.includes(pending)) this.drop(pending);
        else if (this.running === pending) this.cancelRunning();
      });
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Files on disk may have changed (a save): the worker's kept analyses and the Nix answers naming `dir` are stale. */
  filesChanged(dir: string): void {
    this.epoch++;
    this.answers.forget(dir);
  }

  status(): ServerStatus {
    return { ...this.counts, nixProcesses: this.answers.processes, nixAnswersReused: this.answers.reused };
  }

  stop(): void {
    this.stopped = true;
    for (const q of this.queue.splice(0)) q.resolve(undefined);
    this.running?.resolve(undefined);
    this.running = undefined;
    this.killWorker();
  }

  private drop(p: Pending): void {
    this.queue.splice(this.queue.indexOf(p), 1);
    p.resolve(undefined);
  }

  private cancelRunning(): void {
    if (this.running) Atomics.store(this.sync, SyncSlot.Cancel, this.running.id);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const channel = new MessageChannel();
    this.answered = this.answers.serve(channel.port1, this.sync);
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { sync: this.sync.buffer, port: channel.port2 },
      transferList: [channel.port2],
      resourceLimits: {
        stackSizeMb: Limits.StackMb,
        maxOldGenerationSizeMb: this.config.memoryLimitMb,
        maxYoungGenerationSizeMb: Limits.YoungGenerationMb,
      },
      // The worker's stdout would otherwise land in ours, which is the protocol's.
      stdout: true,
    });
    worker.stdout.pipe(process.stderr);
    worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
    worker.on('error', (e) => this.onWorkerGone(worker, `the analysis worker failed: ${e.message}`));
    worker.on('exit', (code) => this.onWorkerGone(worker, `the analysis worker stopped (exit code ${code})`));
    this.worker = worker;
    this.port = channel.port1;
    return worker;
  }

  private killWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    if (worker) void worker.terminate();
  }

  private pump(): void {
    if (this.running || this.stopped) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    if (next.request.kind === 'analyse') this.counts.analyses++;
    const worker = this.ensureWorker();
    const limit = this.config.timeLimitMs + this.config.nixTimeoutMs + Limits.WatchdogGraceMs;
    this.watchdog = setTimeout(() => {
      this.log(`tsportable: the ${next.request.kind} request did not finish in ${limit} ms; restarting the analysis worker`);
      this.finish(next, (p) => p.reject(new EngineFailure(`the analysis did not finish within ${limit} ms and was stopped`)));
      this.restart();
    }, limit);
    worker.postMessage({ id: next.id, request: next.request, config: this.config, epoch: this.epoch } satisfies WorkerCall);
  }

  private finish(p: Pending, settle: (p: Pending) => void): void {
    if (this.running !== p) return;
    clearTimeout(this.watchdog);
    this.running = undefined;
    settle(p);
  }

  private restart(): void {
    this.counts.workerRestarts++;
    this.killWorker();
    queueMicrotask(() => this.pump());
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    if (worker !== this.worker) return;
    const p = this.running;
    if (!p || reply.id !== p.id) return;
    this.finish(p, () => {
      if (reply.ok) p.resolve(reply.result);
      else if (reply.stopped === 'cancelled') {
        this.counts.cancelled++;
        p.resolve(undefined);
      } else if (reply.stopped === 'waiting-for-nix' && reply.question !== undefined) {
        this.counts.waitedForNix++;
        p.reject(new WaitingForNix(this.answered(reply.question)));
      } else p.reject(new EngineFailure(reply.message));
    });
    if (reply.heapUsed > this.config.memoryLimitMb * 1024 * 1024 * 0.75) {
      this.log(`tsportable: the analysis worker uses ${Math.round(reply.heapUsed / 1024 / 1024)} MB; replacing it`);
      this.restart();
    } else {
      this.pump();
    }
  }

  private onWorkerGone(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    this.log(`tsportable: ${message}`);
    const p = this.running;
    if (p) this.finish(p, () => p.reject(new EngineFailure(message)));
    this.restart();
  }
}
