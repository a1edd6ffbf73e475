/**
 * The analysis worker (engine.ts starts it with a large stack and a heap
 * limit): answers one request at a time from the main thread (analyse,
 * hover, completion, definition), each with a fresh evaluation, under a time
 * limit, and gives up when the main thread marks the request as cancelled.
 * Both are checked by the evaluator's poll (eval/cancel.ts) and while waiting
 * for Nix (nixAnswers.ts); an analysis also gives up when Nix is slow to
 * answer it, and is run again once Nix has. It keeps each open document's
 * latest analysis, for the hovers of images and units.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { EvaluationStopped, setCancelPoll } from '../eval/cancel.js';
import { readTree, type LocalTree, type TreeReader } from '../flake/index.js';
import { analyse } from './analysis.js';
import { complete } from './completion.js';
import { definition } from './definition.js';
import type { WorkerEnv } from './evaluation.js';
import { hover } from './hover.js';
import { outOfPatience, remoteNixRunner, SyncSlot } from './nixAnswers.js';
import { defaultConfig, type Analysis, type DocumentInput, type EngineRequest, type ServerConfig, type WorkerCall, type WorkerReply } from './protocol.js';

const enum Limits {
  /** Documents whose latest analysis is kept for hovers. */
  KeptAnalyses = 16,
  /** Flakes' local trees kept (a flake, its local inputs). */
  KeptTrees = 16,
}

interface WorkerData {
  readonly sync: SharedArrayBuffer;
  readonly port: MessagePort;
}

const data = workerData as WorkerData;
const sync = new Int32Array(data.sync);
// stdout is the protocol's: nothing evaluated here may write to it.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

let callId = 0;
let deadline = Infinity;
let nixRan = 0;
/** Whether the request now is an analysis (it does not wait long for Nix), and the question it gave up on. */
let analysing = false;
let waitingFor: number | undefined;

function checkStop(withDeadline: boolean): void {
  if (Atomics.load(sync, SyncSlot.Cancel) === callId) throw new EvaluationStopped('cancelled', 'a newer edit came');
  if (withDeadline && performance.now() > deadline) {
    throw new EvaluationStopped('time-limit', `evaluation stopped after ${env.config.timeLimitMs} ms (the language server's time limit)`);
  }
}

const env: { config: ServerConfig; runner: WorkerEnv['runner']; readTree: TreeReader } = {
  config: defaultConfig,
  readTree: keptTree,
  runner: remoteNixRunner(data.port, sync, {
    whileWaiting(question, ms) {
      checkStop(false);
      if (analysing && outOfPatience(ms)) {
        waitingFor = question;
        throw new EvaluationStopped('waiting-for-nix', 'Nix has not answered yet; analysed again once it has');
      }
    },
    waited(ms, ran) {
      deadline += ms;
      if (ran) nixRan++;
    },
  }),
};
setCancelPoll(() => checkStop(true));

let epoch = 0;

/**
 * A flake's local tree (its files hashed to find its store path; a Git
 * repository's takes a few processes and long), read once per epoch: files
 * on disk change only when the server is told so, and edits of flake.nix
 * in the editor do not change them.
 */
const trees = new Map<string, { readonly tree: LocalTree; readonly epoch: number }>();

function keptTree(dir: string, git: boolean): LocalTree {
  const key = `${git ? 'git' : 'path'}:${dir}`;
  const known = trees.get(key);
  trees.delete(key);
  const tree = known && known.epoch === epoch ? known.tree : readTree(dir, git);
  trees.set(key, { tree, epoch });
  for (const k of trees.keys()) {
    if (trees.size <= Limits.KeptTrees) break;
    trees.delete(k);
  }
  return tree;
}

const analyses = new Map<string, Analysis & { readonly text: string; readonly epoch: number }>();

/** The latest analysis of this text of the document, made now if there is none. */
function analysisOf(doc: DocumentInput): Analysis {
  const known = analyses.get(doc.uri);
  // The same text again (an edit undone): the same analysis, for this version.
  if (known && known.text === doc.text && known.epoch === epoch) return { ...known, version: doc.version };
  const fresh = { ...analyse(doc, env, () => nixRan), text: doc.text, epoch };
  analyses.delete(doc.uri);
  analyses.set(doc.uri, fresh);
  for (const uri of analyses.keys()) {
    if (analyses.size <= Limits.KeptAnalyses) break;
    analyses.delete(uri);
  }
  return fresh;
}

function handle(request: EngineRequest): unknown {
  switch (request.kind) {
    case 'analyse': {
      const { text: _text, epoch: _epoch, ...analysis } = analysisOf(request.doc) as Analysis & { readonly text?: string; readonly epoch?: number };
      return analysis;
    }
    case 'hover': return hover(request.doc, request.offset, env, analysisOf(request.doc), request.built);
    case 'completion': return complete(request.doc, request.offset, env);
    case 'definition': return definition(request.doc, request.offset, env);
  }
}

parentPort!.on('message', (call: WorkerCall) => {
  callId = call.id;
  env.config = call.config;
  epoch = call.epoch;
  deadline = performance.now() + call.config.timeLimitMs;
  analysing = call.request.kind === 'analyse';
  waitingFor = undefined;
  let reply: WorkerReply;
  try {
    reply = { id: call.id, ok: true, result: handle(call.request), heapUsed: 0 };
  } catch (e) {
    const stopped = e instanceof EvaluationStopped ? e.reason : undefined;
    const message = e instanceof Error ? (stopped ? e.message : e.stack ?? e.message) : String(e);
    reply = { id: call.id, ok: false, message, heapUsed: 0, ...(stopped ? { stopped } : {}), ...(stopped === 'waiting-for-nix' ? { question: waitingFor } : {}) };
  }
  parentPort!.postMessage({ ...reply, heapUsed: getHeapStatistics().used_heap_size });
});
