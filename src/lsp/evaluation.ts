/**
 * Evaluating a document in the analysis worker: the same session as the CLI's
 * (cli/session.ts: evaluator and nixpkgs bridge), made afresh for every
 * request, so that nothing of an earlier version of the text survives but
 * what is meant to: the Nix answers the main thread keeps (nixAnswers.ts) and
 * the names caches of completion.ts. What the CLI reads from the file, the
 * server takes from the editor's text, unsaved edits included.
 *
 * A document is taken as the CLI takes the same file: `tsportable build
 * FILE` (a callPackage-style file called as `pkgs.callPackage FILE { }`), or,
 * for a flake.nix, `tsportable build .#attr` in its directory: the flake
 * locked (its lock file and other files as they are on disk, its flake.nix as
 * the editor has it) and evaluated from its copy in the store, with an image
 * for each package output for this system.
 */
import { basename, dirname } from 'node:path';
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
import { searchPathFrom, type EvalInput } from '../cli/evalInput.js';
import { callPackageFormals, callTopLevel, openSession, type Notice, type Session } from '../cli/session.js';
import { hostSystem } from '../eval/builtins/system.js';
import { packageOutputs, parseInstallable, type TreeReader } from '../flake/index.js';
import type { RemoteNixRunner } from './nixAnswers.js';
import type { DocumentInput, ServerConfig } from './protocol.js';
import { parseKept } from './parseCache.js';

/** What every request of the worker evaluates with. */
export interface WorkerEnv {
  readonly config: ServerConfig;
  readonly runner: RemoteNixRunner;
  /** How a flake's local trees are read (the worker keeps them while no file is saved). */
  readonly readTree?: TreeReader;
}

const enum Limits {
  /** Attributes of a set searched for images (a file of several images; not a whole library). */
  ImageAttrs = 200,
  /** Levels of a flake's `legacyPackages.<system>` searched for images (`portable.xedn`). */
  LegacyDepth = 3,
}

/** Whether the document is a flake's flake.nix (the CLI reads a file of that name as its directory's flake). */
export function isFlakeDocument(doc: DocumentInput): boolean {
  return basename(doc.path) === 'flake.nix';
}

/** The document as the CLI's input: the file, as `tsportable build FILE` in its directory reads it. */
function fileInput(doc: DocumentInput, env: WorkerEnv): EvalInput {
  const cwd = dirname(doc.path);
  return {
    file: doc.path,
    attrPaths: [],
    autoArgs: [],
    searchPath: searchPathFrom(env.config.searchPath, process.env.NIX_PATH, cwd),
    showTrace: false,
    cwd,
    overrideInputs: [],
    impure: false,
  };
}

/** What a session's notices become: those about a place, `placed`; the others (the bridge's), the client's log. */
function noticeTo(notices: string[], placed?: Notice): Notice {
  return (m, span) => (span && placed ? placed(m, span) : notices.push(m));
}

/** Forgets process-wide state of earlier evaluations (the bridge's, the evaluation settings a flake changes). */
function freshProcessState(): void {
  resetBridgeProcessState();
  resetEvalSettings();
}

/** A fresh session for a document read as a plain file (what hovers, completion and definitions evaluate). */
export function documentSession(doc: DocumentInput, env: WorkerEnv, notices: string[], placed?: Notice): Session {
  freshProcessState();
  return openSession(fileInput(doc, env), { progress: false, runner: env.runner, notice: noticeTo(notices, placed), parseFile: parseKept });
}

/**
 * A fresh session for a flake.nix: its flake, as `tsportable build .#attr`
 * in its directory evaluates it, with the document's text as its flake.nix.
 * Locking may ask Nix to copy or fetch what is not in the store (one
 * question, answered by the main thread); a lock problem is a NixError.
 */
export function flakeSession(doc: DocumentInput, env: WorkerEnv, notices: string[], placed?: Notice): Session {
  freshProcessState();
  const input = fileInput(doc, env);
  const notice = noticeTo(notices, placed);
  const flake = parseInstallable(input.cwd, input.cwd, notice);
  return openSession({ ...input, file: undefined, flake, overrideInputs: env.config.overrideInputs },
    { progress: false, runner: env.runner, notice, parseFile: parseKept, flakeText: doc.text, readTree: env.readTree });
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
 * The document's value, as the CLI takes the file (cli/session.ts
 * `callTopLevel`): a function whose arguments all have defaults is called
 * (`{ pkgs ? import <nixpkgs> { } }: ...`), a callPackage-style function is
 * called as `pkgs.callPackage FILE { }` (the session's notice says so, at the
 * function). Undefined for any other function that needs arguments: there is
 * nothing to preview until something calls it. `extra` names are in scope in
 * the whole file (the hover's probe).
 */
export function documentValue(session: Session, doc: DocumentInput, expr: ast.Expr, env: WorkerEnv, extra?: ReadonlyMap<string, Lazy>): Value | undefined {
  const dir = dirname(doc.path);
  const { ev } = session;
  const root = ev.force(lazy(() => (extra ? runScoped(expr, currentState().globals, dir, extra) : runProgram(expr, currentState().globals, dir))));
  const needsArguments = root instanceof Lambda && root.expr.formals?.entries.some((f) => f.fallback === undefined);
  if (needsArguments && !callPackageFormals(session, root)) return undefined;
  return callTopLevel(session, fileInput(doc, env), root, '');
}

export interface FoundImage {
  /** `''` for the file's value itself, else the attribute; for a flake, the output's (`packages.x86_64-linux.default`). */
  readonly attrPath: string;
  /** For a flake: the fragment `tsportable build .#fragment` builds it by. */
  readonly fragment?: string;
  readonly spec: PortableServiceSpec;
}

/**
 * The images of a value: the value itself, or each attribute of a set that is
 * one (a file of several images). An attribute that fails to evaluate is
 * reported through `onError` and the others are still found.
 */
export function imagesIn(session: Session, value: Value, onError: (e: NixError, attrPath?: string) => void): FoundImage[] {
  if (session.flake) return flakeImages(session, onError);
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
      onError(err, name);
    }
  }
  return found;
}

/** The images among a flake's package outputs for this system (flake/outputs.ts `packageOutputs`). */
function flakeImages(session: Session, onError: (e: NixError, attrPath?: string) => void): FoundImage[] {
  const outputs = packageOutputs(session.flake!.outputs, hostSystem(), { depth: Limits.LegacyDepth, count: Limits.ImageAttrs }, onError);
  const found: FoundImage[] = [];
  for (const output of outputs) {
    try {
      const spec = portableServiceSpecOf(session.ev.force(output.value));
      if (spec) found.push({ attrPath: output.attrPath, fragment: output.fragment, spec });
    } catch (e) {
      const err = asNixError(e);
      if (!(err instanceof NixError)) throw err;
      onError(err, output.attrPath);
    }
  }
  return found;
}
