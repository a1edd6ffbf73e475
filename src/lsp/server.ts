/**
 * `tsportable lsp`: the Language Server Protocol over stdin/stdout. This
 * thread only speaks the protocol and schedules; everything a diagnostic, a
 * hover or a preview says is computed by the analysis worker (engine.ts) from
 * the same evaluator, builders and checks as `tsportable show`.
 *
 * Scheduling: an edit is analysed after `debounceMs` of quiet (a document just
 * opened at once); a newer version of a document replaces or cancels the
 * analysis of an older one, and diagnostics are published only for the
 * version the editor has now, so an older analysis never overwrites a newer
 * one. Requests that need the current analysis (code lenses, symbols,
 * `tsportable/preview`, the commands) wait for it. An analysis waiting for
 * Nix (a flake's inputs fetched) leaves the worker to the others and runs
 * again when Nix has answered, with a progress report meanwhile.
 * docs/lsp.md describes the protocol as a client sees it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DiagnosticSeverity, ResponseError, ErrorCodes,
  MessageType, ShowMessageNotification,
  type CancellationToken, type CodeLens, type Connection, type Diagnostic, type InitializeParams, type TextDocumentPositionParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine, EngineFailure, WaitingForNix } from './engine.js';
import { imageSymbols, lensTitle } from './imageView.js';
import {
  buildCommand, defaultConfig, previewRequest, showCommand, statusRequest,
  type Analysis, type BuiltImage, type DocumentInput, type EngineRequest, type EngineResults, type ServerConfig,
} from './protocol.js';
import { contains } from './ranges.js';

const enum Limits {
  /** Times a request waits for a document's analysis while newer edits keep overtaking it. */
  WaitAttempts = 20,
}

/** The server's settings from the client's `initializationOptions`, over those of the command line. */
export function configFrom(base: ServerConfig, options: unknown): ServerConfig {
  if (typeof options !== 'object' || options === null) return base;
  const o = options as Record<string, unknown>;
  const num = (k: keyof ServerConfig): number | undefined => (typeof o[k] === 'number' && (o[k] as number) > 0 ? o[k] as number : undefined);
  const searchPath = Array.isArray(o.searchPath) && o.searchPath.every((e) => typeof e === 'string') ? o.searchPath as string[] : [];
  const overrides = typeof o.overrideInputs === 'object' && o.overrideInputs !== null ? Object.entries(o.overrideInputs as Record<string, unknown>) : [];
  const overrideInputs = overrides.filter((e): e is [string, string] => typeof e[1] === 'string');
  return {
    searchPath: [...base.searchPath, ...searchPath],
    overrideInputs: [...base.overrideInputs, ...overrideInputs],
    debounceMs: num('debounceMs') ?? base.debounceMs,
    timeLimitMs: num('timeLimitMs') ?? base.timeLimitMs,
    nixTimeoutMs: num('nixTimeoutMs') ?? base.nixTimeoutMs,
    memoryLimitMb: num('memoryLimitMb') ?? base.memoryLimitMb,
  };
}

/** The file path of a document URI; documents that are not files get a name in the working directory. */
function pathOf(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  return join(process.cwd(), uri.replace(/^[a-z]+:/i, '').replace(/[/\\]/g, '_') || 'untitled.nix');
}

function inputOf(doc: TextDocument): DocumentInput {
  return { uri: doc.uri, path: pathOf(doc.uri), version: doc.version, text: doc.getText() };
}

/** Per document: its latest analysis and the one under way. */
interface DocumentState {
  timer?: NodeJS.Timeout;
  /** The analysis of the editor's current version, once published. */
  latest?: Analysis;
  running?: Promise<Analysis | undefined>;
}

export function startServer(base: ServerConfig = defaultConfig, engine = new Engine(base)): Connection {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, DocumentState>();
  const built: Record<string, BuiltImage> = {};
  const noticed = new Set<string>();
  const builds = new AbortController();
  let config = base;
  // Started now, before the client's `initialize`: the worker loads while the handshake goes on.
  engine.warm();
  let canReportProgress = false;

  const log = (m: string) => connection.console.log(m);
  engine.log = log;

  function stateOf(uri: string): DocumentState {
    let s = states.get(uri);
    if (!s) states.set(uri, (s = {}));
    return s;
  }

  function failureDiagnostic(e: unknown): Diagnostic {
    const message = e instanceof EngineFailure ? e.message : String(e);
    log(`tsportable: an analysis failed: ${e instanceof EngineFailure ? message : (e as Error)?.stack ?? message}`);
    return {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Error,
      source: 'tsportable',
      code: 'analysis-failed',
      message: `tsportable could not analyse this file: ${message.split('\n')[0]}`,
    };
  }

  /** Starts analysing the document's current version; the promise gives that analysis (undefined if overtaken). */
  function analyse(uri: string): Promise<Analysis | undefined> {
    const doc = documents.get(uri);
    const state = stateOf(uri);
    clearTimeout(state.timer);
    state.timer = undefined;
    if (!doc) return Promise.resolve(undefined);
    const input = inputOf(doc);
    const run = engine.request({ kind: 'analyse', doc: input }, { supersede: `analyse ${uri}` }).then(
      (a) => {
        if (!a || documents.get(uri)?.version !== a.version) return undefined;
        state.latest = a;
        void connection.sendDiagnostics({ uri, version: a.version, diagnostics: a.diagnostics });
        for (const n of a.notices) {
          if (!noticed.has(n)) {
            noticed.add(n);
            log(n);
          }
        }
        return a;
      },
      (e: unknown) => {
        if (e instanceof WaitingForNix && state.running === run) return waitForNix(uri, e.answered);
        if (documents.get(uri)?.version === input.version) {
          void connection.sendDiagnostics({ uri, version: input.version, diagnostics: [failureDiagnostic(e)] });
        }
        return undefined;
      },
    );
    state.running = run;
    return run;
  }

  /** The document's analysis again once Nix has answered (unless an edit came first); progress reported meanwhile. */
  function waitForNix(uri: string, answered: Promise<void>): Promise<Analysis | undefined> {
    const state = stateOf(uri);
    const progress = canReportProgress ? connection.window.createWorkDoneProgress() : undefined;
    void progress?.then((p) => p.begin('tsportable', undefined, `waiting for Nix to analyse ${uri.slice(uri.lastIndexOf('/') + 1)}`), () => undefined);
    const again: Promise<Analysis | undefined> = answered.then(() => {
      void progress?.then((p) => p.done(), () => undefined);
      return state.running === again ? analyse(uri) : undefined;
    });
    state.running = again;
    return again;
  }

  function schedule(uri: string, delay: number): void {
    const state = stateOf(uri);
    clearTimeout(state.timer);
    state.running = undefined;
    state.timer = setTimeout(() => void analyse(uri), delay);
  }

  /** The analysis of the document as the editor has it now, waiting for it if needed. */
  async function current(uri: string): Promise<Analysis | undefined> {
    for (let attempt = 0; attempt < Limits.WaitAttempts; attempt++) {
      const doc = documents.get(uri);
      if (!doc) return undefined;
      const state = stateOf(uri);
      if (state.latest?.version === doc.version) return state.latest;
      const waiting = state.timer === undefined && state.running !== undefined ? state.running : analyse(uri);
      const a = await waiting;
      if (a && a.version === documents.get(uri)?.version) return a;
      // Failed, or overtaken by an edit: try again only if something newer is under way.
      if (documents.get(uri)?.version === doc.version && state.running === waiting && state.timer === undefined) return undefined;
    }
    return undefined;
  }

  function reanalyseAll(): void {
    for (const doc of documents.all()) schedule(doc.uri, config.debounceMs);
  }

  connection.onInitialize((params: InitializeParams) => {
    config = configFrom(base, params.initializationOptions);
    canReportProgress = params.capabilities.window?.workDoneProgress === true;
    engine.configure(config);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.'] },
        definitionProvider: true,
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [showCommand, buildCommand] },
      },
      serverInfo: { name: 'tsportable' },
    };
  });

  // Also fired on didOpen: a document seen for the first time is analysed at once.
  documents.onDidChangeContent((e) => schedule(e.document.uri, states.has(e.document.uri) ? config.debounceMs : 0));
  documents.onDidClose((e) => {
    clearTimeout(states.get(e.document.uri)?.timer);
    states.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  documents.onDidSave((e) => {
    // Every open document may import the file saved.
    engine.filesChanged(dirname(pathOf(e.document.uri)));
    reanalyseAll();
  });
  connection.onDidChangeWatchedFiles((p) => {
    for (const c of p.changes) engine.filesChanged(dirname(pathOf(c.uri)));
    reanalyseAll();
  });

  /** A question the worker answers about a place in an open document; null when it is closed or the worker failed. */
  async function atPosition<K extends 'hover' | 'completion' | 'definition'>(
    kind: K, params: TextDocumentPositionParams, token: CancellationToken,
  ): Promise<EngineResults[K] | null> {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const request = { kind, doc: inputOf(doc), offset: doc.offsetAt(params.position), built } as Extract<EngineRequest, { kind: K }>;
    try {
      return (await engine.request(request, { token })) ?? null;
    } catch (e) {
      if (e instanceof EngineFailure) return null;
      throw e;
    }
  }

  connection.onHover((params, token) => atPosition('hover', params, token));
  connection.onCompletion((params, token) => atPosition('completion', params, token));
  connection.onDefinition((params, token) => atPosition('definition', params, token));

  connection.onDocumentSymbol(async (params) => {
    const a = await current(params.textDocument.uri);
    return a ? imageSymbols(a.images) : null;
  });

  connection.onCodeLens(async (params) => {
    const a = await current(params.textDocument.uri);
    if (!a) return null;
    return a.images.flatMap((image): CodeLens[] => {
      if (!image.range) return [];
      const range = { start: image.range.start, end: image.range.start };
      const args = [a.uri, image.attrPath];
      return [
        { range, command: { title: lensTitle(image), command: '' } },
        { range, command: { title: 'Show image', command: showCommand, arguments: args } },
        { range, command: { title: 'Build image', command: buildCommand, arguments: args } },
      ];
    });
  });

  connection.onRequest(previewRequest, async (params: { textDocument: { uri: string }; position?: { line: number; character: number } }) => {
    const a = await current(params.textDocument.uri);
    if (!a) throw new ResponseError(ErrorCodes.InvalidParams, `no open document ${params.textDocument.uri}`);
    if (!params.position) return a.images.map((i) => i.plan);
    const position = params.position;
    return a.images.find((i) => i.range && contains(i.range, position))?.plan ?? null;
  });

  connection.onRequest(statusRequest, () => engine.status());

  connection.onExecuteCommand(async (params) => {
    const [uri, attrPath] = (params.arguments ?? []) as [string?, string?];
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${params.command} takes the document's URI`);
    const a = await current(uri);
    const doc = documents.get(uri);
    if (!a || !doc) throw new ResponseError(ErrorCodes.InvalidParams, `no open document ${uri}`);
    const images = a.images.filter((i) => attrPath === undefined || attrPath === null || i.attrPath === attrPath);
    if (params.command === showCommand) {
      const { renderShow } = await import('../show/render.js');
      return { text: images.map((i) => renderShow(i.plan, { color: false })).join('\n'), plans: images.map((i) => i.plan) };
    }
    if (params.command !== buildCommand) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command}`);
    const title = `Building ${images.map((i) => i.plan.imageFileName).join(', ') || 'the image'}`;
    const progress: WorkDoneProgressReporter | undefined = params.workDoneToken !== undefined
      ? connection.window.attachWorkDoneProgress(params.workDoneToken)
      : canReportProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin(title, undefined, undefined, false);
    const { buildDocument, BuildFailure } = await import('./build.js');
    try {
      const request = {
        path: pathOf(uri), text: doc.getText(), attrPath: attrPath ?? undefined, searchPath: config.searchPath,
        overrideInputs: config.overrideInputs, onLine: (line: string) => progress?.report(line), signal: builds.signal,
      };
      // A flake's images are built one by one by their installables (`.#default`); a file's by the file (and -A).
      const flakeImages = images.filter((i) => i.installable !== undefined);
      const outcomes = flakeImages.length === 0 ? await buildDocument(request) : [];
      for (const image of flakeImages) outcomes.push(...await buildDocument({ ...request, installable: image.installable }));
      for (const o of outcomes) built[o.image.slice(o.image.lastIndexOf('/') + 1)] = { image: o.image, closure: o.closure.length };
      progress?.done();
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `tsportable: built ${outcomes.map((o) => o.image).join(', ')}` });
      return outcomes;
    } catch (e) {
      progress?.done();
      if (!(e instanceof BuildFailure)) throw e;
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `tsportable: ${e.message}` });
      throw new ResponseError(ErrorCodes.InternalError, e.message);
    }
  });

  connection.onShutdown(() => {
    builds.abort();
    engine.stop();
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
