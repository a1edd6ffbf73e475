/**
 * What crosses the boundary between the language server's two threads, and
 * the names it adds to the Language Server Protocol. The main thread speaks
 * LSP and schedules; the analysis worker evaluates (engine.ts says why it is a
 * thread of its own). Only plain data crosses: the document's text goes in,
 * LSP-shaped results come out, so a worker that is restarted loses nothing but
 * caches.
 */
import type { CompletionList, Diagnostic, Hover, Location, Range } from 'vscode-languageserver';
import type { ShowPlan } from '../show/plan.js';

/** The custom request for editor panels: `{ textDocument, position? }` → `ShowPlan | null`, or `ShowPlan[]` without a position. */
export const previewRequest = 'tsportable/preview';
/** The custom request tests and benchmarks use: counters of the server's work (`ServerStatus`). */
export const statusRequest = 'tsportable/status';

/** The commands of `workspace/executeCommand`; arguments `[uri, attrPath?]`. */
export const showCommand = 'tsportable.show';
export const buildCommand = 'tsportable.build';

/** Settings, from `tsportable lsp`'s options and the client's `initializationOptions`. */
export interface ServerConfig {
  /** `-I` entries (`PATH` or `NAME=PATH`), before NIX_PATH's. */
  readonly searchPath: readonly string[];
  /** Quiet time after an edit before it is analysed. */
  readonly debounceMs: number;
  /** Evaluation time an analysis may take (time spent waiting for Nix not counted). */
  readonly timeLimitMs: number;
  /** How long one Nix process may run. */
  readonly nixTimeoutMs: number;
  /** The analysis worker's heap limit; past it the worker is replaced. */
  readonly memoryLimitMb: number;
  /** Flakes: `--override-input NAME FLAKEREF` for every flake analysed and built. */
  readonly overrideInputs: readonly (readonly [string, string])[];
}

export const defaultConfig: ServerConfig = {
  searchPath: [],
  debounceMs: 20,
  timeLimitMs: 2000,
  nixTimeoutMs: 60_000,
  memoryLimitMb: 1024,
  overrideInputs: [],
};

/** A document as the worker gets it: its text, not what is on disk. */
export interface DocumentInput {
  readonly uri: string;
  /** Absolute file path (the URI's), for spans, relative paths and `import`. */
  readonly path: string;
  readonly version: number;
  readonly text: string;
}

export type EngineRequest =
  | { readonly kind: 'analyse'; readonly doc: DocumentInput }
  | { readonly kind: 'hover'; readonly doc: DocumentInput; readonly offset: number; readonly built: Readonly<Record<string, BuiltImage>> }
  | { readonly kind: 'completion'; readonly doc: DocumentInput; readonly offset: number }
  | { readonly kind: 'definition'; readonly doc: DocumentInput; readonly offset: number };

/** What the last "Build image" of an image found, by image file name (for hovers). */
export interface BuiltImage {
  readonly image: string;
  readonly closure: number;
}

export interface EngineResults {
  analyse: Analysis;
  hover: Hover | null;
  completion: CompletionList;
  definition: Location[];
}

/** Main thread → worker. */
export interface WorkerCall {
  readonly id: number;
  readonly request: EngineRequest;
  readonly config: ServerConfig;
  /** Bumped when files on disk may have changed: analyses of earlier epochs are not reused. */
  readonly epoch: number;
}

/** Worker → main thread. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown; readonly heapUsed: number }
  | {
    readonly id: number; readonly ok: false; readonly stopped?: 'cancelled' | 'time-limit' | 'waiting-for-nix'; readonly message: string;
    readonly heapUsed: number;
    /** 'waiting-for-nix': the question Nix is still answering. */
    readonly question?: number;
  };

/** One image found in a document, with where its parts are written there. */
export interface AnalysedImage {
  /** `''` when the file's value is the image, else the attribute holding it; for a flake, the output (`packages.x86_64-linux.default`). */
  readonly attrPath: string;
  /** For a flake's image: what `tsportable build` in the flake's directory builds it as (`.#default`). */
  readonly installable?: string;
  readonly plan: ShowPlan;
  /** The `portableService { ... }` call, when it is in this document. */
  readonly range?: Range;
  /** The called function (`pkgs.portableService`). */
  readonly functionRange?: Range;
  /** Per unit, in `plan.units` order: where the document writes it (its element of a literal `units` list, the call or set that makes it). */
  readonly units: ReadonlyArray<{ readonly element?: Range; readonly madeAt?: Range }>;
  /** Distinct store objects the plan names (unit files, what their texts refer to, symlink objects, contents). */
  readonly storeObjects: number;
}

/** The result of analysing one version of a document. */
export interface Analysis {
  readonly uri: string;
  readonly version: number;
  readonly diagnostics: Diagnostic[];
  readonly images: AnalysedImage[];
  /** The bridge's notices (the default package set stands in for nixpkgs), for the client's log. */
  readonly notices: string[];
  /** Evaluation time, and Nix processes this analysis started (answers reused from earlier ones do not count). */
  readonly ms: number;
  readonly nixProcesses: number;
}

/** `tsportable/status`. */
export interface ServerStatus {
  readonly analyses: number;
  /** Analyses stopped because a newer edit came. */
  readonly cancelled: number;
  /** Analyses that gave the worker back while Nix answered a question of theirs (run again once it has). */
  readonly waitedForNix: number;
  readonly workerRestarts: number;
  /** Nix processes run, and Nix questions answered from earlier answers. */
  readonly nixProcesses: number;
  readonly nixAnswersReused: number;
}
