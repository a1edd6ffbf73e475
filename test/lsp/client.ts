/**
 * A language client for the tests and the benchmark: spawns the real
 * `tsportable lsp` (node bin/tsportable.js lsp --stdio) and talks LSP to it
 * over its stdin/stdout with vscode-jsonrpc's client side. It records every
 * `textDocument/publishDiagnostics` with the time it arrived, so a test can
 * wait for the diagnostics of a given version of a document.
 *
 * Always `await client.stop()` in a `finally`: a server left running keeps
 * jest from exiting.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CompletionList, Diagnostic, Hover, InitializeResult, Location, MarkupContent, Position, PublishDiagnosticsParams, TextDocumentContentChangeEvent,
} from 'vscode-languageserver';
import { packageRoot } from '../../src/paths.js';
import { join } from 'node:path';

export const cliPath = join(packageRoot, 'bin', 'tsportable.js');

export interface Published {
  readonly version?: number;
  readonly diagnostics: Diagnostic[];
  /** performance.now() when it arrived. */
  readonly at: number;
}

export interface ClientOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly initializationOptions?: Record<string, unknown>;
  readonly args?: readonly string[];
}

export class LspClient {
  readonly published = new Map<string, Published[]>();
  readonly logs: string[] = [];
  private readonly waiters = new Set<() => void>();
  private exited = false;

  private constructor(readonly child: ChildProcess, readonly connection: MessageConnection) {}

  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [cliPath, 'lsp', '--stdio', ...(options.args ?? [])], {
      cwd: options.cwd ?? packageRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', () => {}); // drained: the server may log there
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.on('exit', () => {
      client.exited = true;
      client.notify();
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = client.published.get(p.uri) ?? [];
      list.push({ version: p.version, diagnostics: p.diagnostics, at: performance.now() });
      client.published.set(p.uri, list);
      client.notify();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => void client.logs.push(p.message));
    connection.onNotification('window/showMessage', (p: { message: string }) => void client.logs.push(p.message));
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (p: { value: { kind: string; title?: string; message?: string } }) => {
      client.logs.push(`progress ${p.value.kind}${p.value.title ? ` ${p.value.title}` : ''}${p.value.message ? ` ${p.value.message}` : ''}`);
    });
    connection.listen();
    await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
      initializationOptions: options.initializationOptions ?? {},
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  get alive(): boolean {
    return !this.exited;
  }

  private notify(): void {
    for (const w of this.waiters) w();
  }

  /** Waits until `test` holds (checked on every notification), or fails after `timeoutMs`. */
  waitFor<T>(test: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = test();
        if (v !== undefined) {
          cleanup();
          resolve(v);
        } else if (this.exited) {
          cleanup();
          reject(new Error(`the server exited while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The diagnostics published for `version` of the document (the first such publication). */
  diagnosticsFor(uri: string, version: number, timeoutMs?: number): Promise<Published> {
    return this.waitFor(() => this.published.get(uri)?.find((p) => p.version === version), `diagnostics of ${uri} version ${version}`, timeoutMs);
  }

  async open(path: string, text: string, version = 1): Promise<string> {
    const uri = pathToFileURL(path).href;
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version, text } });
    return uri;
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  completion(uri: string, position: Position): Promise<CompletionList | null> {
    return this.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Location[] | null> {
    return this.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params);
  }

  /** shutdown and exit, then kills the process if it is still there. */
  async stop(): Promise<number | null> {
    if (this.exited) {
      this.connection.dispose();
      return this.child.exitCode;
    }
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    let giveUp: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          await this.connection.sendRequest('shutdown');
          await this.connection.sendNotification('exit');
        })(),
        new Promise((resolve) => { giveUp = setTimeout(resolve, 5000); }),
      ]);
    } catch {
      // the server may be gone already
    } finally {
      clearTimeout(giveUp);
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }

  /** Kills the server at once (a test's `finally` after a failure). */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

/** Runs `f` with a server of its own, stopped (killed if it will not stop) when `f` ends or fails. */
export async function withClient<T>(options: ClientOptions, f: (client: LspClient) => Promise<T>): Promise<T> {
  const client = await LspClient.start(options);
  try {
    return await f(client);
  } finally {
    try {
      await client.stop();
    } finally {
      client.kill();
    }
  }
}

/**
 * One server for a whole test file, started in beforeAll in `dir` (a
 * `useTempDir`), stopped in afterAll; `server.client` once started.
 */
export function useClient(dir: { readonly path: string }, initializationOptions: Record<string, unknown> = { debounceMs: 5 }): { readonly client: LspClient } {
  const server: { client: LspClient } = { client: undefined as unknown as LspClient };
  beforeAll(async () => {
    server.client = await LspClient.start({ cwd: dir.path, initializationOptions });
  });
  afterAll(async () => {
    try {
      await server.client?.stop();
    } finally {
      server.client?.kill();
    }
  });
  return server;
}

/** A hover's Markdown (the test fails if there is no hover). */
export function markdown(h: Hover | null): string {
  expect(h).not.toBeNull();
  return (h!.contents as MarkupContent).value;
}

/** The position of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`'${needle}' is not in the text`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/**
 * A temporary directory for one test file, made in beforeAll with copies of
 * the named example folders (so their relative paths resolve), removed in afterAll.
 */
export function useTempDir(examples: readonly string[] = []): { readonly path: string } {
  const dir = { path: '' };
  beforeAll(async () => {
    dir.path = await mkdtemp(join(tmpdir(), 'tsportable-lsp-'));
    for (const e of examples) await cp(join(packageRoot, 'examples', e), join(dir.path, e), { recursive: true });
  });
  afterAll(async () => {
    if (dir.path) await rm(dir.path, { recursive: true, force: true });
  });
  return dir;
}
