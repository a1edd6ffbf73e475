/**
 * Evaluating a document in the analysis worker: the same session as the CLI's
 * (cli/session.ts: evaluator and nixpkgs bridge), made afresh for every
 * request, so that nothing of an earlier version of the text survives but
 * what is meant to: the Nix answers the main thread keeps (nixAnswers.ts) and
 * the names caches of completion.ts. What the CLI reads from the file, the
 * server takes from the editor's text, unsaved edits included.
 */
import { dirname } from 'node:path';
import { portableServiceSpecOf, type PortableServiceSpec } from '../builders/index.js';
import { resetBridgeProcessState } from '../bridge/index.js';
import { NixError } from '../eval/errors.js';
import { asNixError } from '../eval/index.js';
import { resetEvalSettings } from '../eval/settings.js';
import { parseNix } from '../eval/syntax/parse.js';
import type * as ast from '../eval/syntax/ast.js';
import { currentState } from '../eval/interp/state.js';
import { runProgram, runScoped } from '../eval/interp/program.js';
import { type Lazy, type Value, Lambda, NixAttrs } from '../eval/value/index.js';
import { lazy } from '../eval/value/force.js';
import { searchPathFrom } from '../cli/evalInput.js';
import { openSession, type Session } from '../cli/session.js';
import type { RemoteNixRunner } from './nixAnswers.js';
import type { DocumentInput, ServerConfig } from './protocol.js';
import { parseKept } from './parseCache.js';

/** What every request of the worker evaluates with. */
export interface WorkerEnv {
  readonly config: ServerConfig;
  readonly runner: RemoteNixRunner;
}

const enum Limits {
  /** Attributes of a set searched for images (a file of several images; not a whole library). */
  ImageAttrs = 200,
}

/** A fresh session for a document (process-wide state of earlier evaluations forgotten first). */
export function documentSession(doc: DocumentInput, env: WorkerEnv, notices: string[]): Session {
  resetBridgeProcessState();
  resetEvalSettings();
  const cwd = dirname(doc.path);
  return openSession({
    file: doc.path,
    attrPaths: [],
    autoArgs: [],
    searchPath: searchPathFrom(env.config.searchPath, process.env.NIX_PATH, cwd),
    showTrace: false,
    cwd,
    overrideInputs: [],
    impure: false,
  }, { progress: false, runner: env.runner, notice: (m) => notices.push(m), parseFile: parseKept });
}

/** The document's syntax tree (kept while its text is the same); a NixError (kind 'parse') lists every syntax error. */
export function parseDocument(doc: DocumentInput): ast.Expr {
  return parseKept(doc.text, doc.path);
}

/** The syntax tree of another text of the document (the hover's probe), not kept. */
export function parseVariant(doc: DocumentInput, text: string): ast.Expr {
  return parseNix(text, doc.path, { baseDir: dirname(doc.path) });
}

/**
 * The document's value, as nix-build takes it: a function whose arguments all
 * have defaults is called (`{ pkgs ? import <nixpkgs> { } }: ...`). Undefined
 * for a function that needs arguments (a callPackage-style file): there is
 * nothing to preview until something calls it. `extra` names are in scope in
 * the whole file (the hover's probe).
 */
export function documentValue(session: Session, doc: DocumentInput, expr: ast.Expr, extra?: ReadonlyMap<string, Lazy>): Value | undefined {
  const dir = dirname(doc.path);
  const { ev } = session;
  const root = ev.force(lazy(() => (extra ? runScoped(expr, currentState().globals, dir, extra) : runProgram(expr, currentState().globals, dir))));
  if (root instanceof Lambda && root.expr.formals?.entries.some((f) => f.fallback === undefined)) return undefined;
  return ev.autoCall(root, session.autoArgs);
}

export interface FoundImage {
  /** `''` for the file's value itself, else the attribute. */
  readonly attrPath: string;
  readonly spec: PortableServiceSpec;
}

/**
 * The images of a value: the value itself, or each attribute of a set that is
 * one (a file of several images). An attribute that fails to evaluate is
 * reported through `onError` and the others are still found.
 */
export function imagesIn(session: Session, value: Value, onError: (e: NixError) => void): FoundImage[] {
  const own = portableServiceSpecOf(value);
  if (own) return [{ attrPath: '', spec: own }];
  if (!(value instanceof NixAttrs) || value.get('type') !== undefined) return [];
  const found: FoundImage[] = [];
  for (const name of value.sortedNames().slice(0, Limits.ImageAttrs)) {
    try {
      const spec = portableServiceSpecOf(session.ev.force(value.get(name)!));
      if (spec) found.push({ attrPath: name, spec });
    } catch (e) {
      const err = asNixError(e);
      if (!(err instanceof NixError)) throw err;
      onError(err);
    }
  }
  return found;
}
