/**
 * One analysis of one version of a document, in the worker: every syntax
 * error; the evaluation of the file as the CLI would evaluate it (a file as
 * `tsportable build FILE`, a flake.nix as its flake's `.#attr`), its first
 * error at its span with the trace; for each image found, the `show` plan
 * with the checks that need no build (show/checks.ts), as diagnostics with
 * their codes, and where its call and units are written, for hovers, code
 * lenses and symbols. Nothing is built.
 *
 * A flake is evaluated from its copy in the store, with the document's text
 * as its flake.nix: places in that copy are shown at the files they were
 * copied from, and a problem with an input (it cannot be locked or fetched)
 * where flake.nix declares it.
 *
 * An analysis past its time limit keeps what it found and says it stopped;
 * one overtaken by a newer edit is abandoned (the worker's poll throws
 * `EvaluationStopped` 'cancelled' through here).
 */
import type { Diagnostic } from 'vscode-languageserver';
import { planPortableService } from '../builders/index.js';
import type { PortableServiceSpec } from '../builders/index.js';
import { EvaluationStopped } from '../eval/cancel.js';
import { diagnostics as evalDiagnostics, type NixWarning } from '../eval/diagnostics.js';
import { NixError } from '../eval/errors.js';
import { asNixError, parseAttrPath } from '../eval/index.js';
import type * as ast from '../eval/syntax/ast.js';
import type { Span } from '../eval/span.js';
import { spanOffsets } from '../eval/syntax/positions.js';
import { withChecks } from '../show/index.js';
import type { Notice, Session } from '../cli/session.js';
import { errorWithRealPaths, warningWithRealPaths } from '../cli/realPaths.js';
import type { Bridge } from '../bridge/index.js';
import { FlakeInputError } from '../flake/index.js';
import { prefetchPackageNames } from './completion.js';
import { errorDiagnostics, inDocument, planWarningDiagnostic, warningDiagnostic, type OnDisk } from './diagnostics.js';
import {
  documentSession, documentValue, flakeSession, imagesIn, isFlakeDocument, parseDocument, type FoundImage, type WorkerEnv,
} from './evaluation.js';
import { storeObjectsOf } from './imageView.js';
import { DiagnosticSeverity } from './kinds.js';
import type { AnalysedImage, Analysis, DocumentInput } from './protocol.js';
import { fileStart, spanRange } from './ranges.js';
import { findCall, inputDeclaration, writtenAt } from './syntaxTree.js';

/** How the problems of an evaluation are placed in the document. */
interface Placing {
  readonly onDisk?: OnDisk;
  /** Where an error with no place in the document goes: what the caller knows it is about. */
  readonly fallback?: (e: NixError) => Span | undefined;
  /** Names derivations by their real paths in the messages, as Nix does (cli/realPaths.ts); once there is a session. */
  readonly bridge?: Bridge;
}

/** The diagnostics of an error; an input's problem says how the editor overrides the input. */
function problems(e: NixError, doc: DocumentInput, placing: Placing): Diagnostic[] {
  const err = placing.bridge ? errorWithRealPaths(placing.bridge, e) : e;
  const at = placing.fallback?.(err);
  const found = errorDiagnostics(err, doc, placing.onDisk, at && spanRange(at));
  if (err instanceof FlakeInputError) found[0] = { ...found[0]!, message: `${found[0]!.message}\n${overrideHint}` };
  return found;
}

/** Runs `f`, turning a NixError (or a JS stack overflow) into diagnostics; false when it failed. */
function guarded(doc: DocumentInput, out: Diagnostic[], f: () => void, placing: Placing = {}): boolean {
  try {
    f();
    return true;
  } catch (e) {
    const err = asNixError(e);
    if (!(err instanceof NixError)) throw err;
    out.push(...problems(err, doc, placing));
    return false;
  }
}

const overrideHint = "in the editor: the language server's setting overrideInputs ({ \"NAME\": \"path:/…\" }) or 'tsportable lsp --override-input NAME REF'";

/** For a flake: a path in its copy in the store as the path of the file it was copied from. */
function flakeOnDisk(session: Session): OnDisk | undefined {
  const flake = session.flake;
  if (!flake) return undefined;
  return (path) => (path.startsWith(`${flake.storeDir}/`) ? `${flake.dir}${path.slice(flake.storeDir.length)}` : path);
}

/**
 * The range of a notice about a place in the document: a callPackage-style
 * function's notice goes on its arguments (`{ portableService, writeText }`).
 */
function noticeRange(span: Span, expr: ast.Expr): Diagnostic['range'] {
  const formals = expr.kind === 'lambda' && expr.span === span ? expr.formals?.entries : undefined;
  if (formals?.length) return { start: spanRange(formals[0]!.span).start, end: spanRange(formals[formals.length - 1]!.span).end };
  const range = spanRange(span);
  return { start: range.start, end: range.start };
}

export function analyse(doc: DocumentInput, env: WorkerEnv, nixProcesses: () => number): Analysis {
  const started = performance.now();
  const startedNix = nixProcesses();
  const diagnostics: Diagnostic[] = [];
  const notices: string[] = [];
  const images: AnalysedImage[] = [];
  const { warn, evaluationWarning } = evalDiagnostics;
  let bridge: Bridge | undefined;
  const warned = (w: NixWarning, fallback?: Diagnostic['range']) => {
    const d = warningDiagnostic(bridge ? warningWithRealPaths(bridge, w) : w, doc, fallback);
    if (d) diagnostics.push(d);
  };
  evalDiagnostics.warn = (w) => warned(w);
  // What the evaluation of this file warned (a deprecated lib function it calls) concerns it wherever the call is: at the start of the file, with the place.
  evalDiagnostics.evaluationWarning = (message, span) => warned({ message, span, trace: [] }, fileStart);
  try {
    let expr: ast.Expr | undefined;
    if (!guarded(doc, diagnostics, () => { expr = parseDocument(doc); })) return result();
    const placed: Notice = (message, span) => {
      if (!inDocument(span, doc)) return void notices.push(message);
      diagnostics.push({
        range: noticeRange(span, expr!), severity: DiagnosticSeverity.Information, source: 'tsportable', code: 'notice',
        message: message.replace(/^tsportable: /, ''),
      });
    };
    const flake = isFlakeDocument(doc);
    let session: Session | undefined;
    const opened = guarded(doc, diagnostics, () => {
      session = flake ? flakeSession(doc, env, notices, placed) : documentSession(doc, env, notices, placed);
    }, { fallback: (e) => (e instanceof FlakeInputError ? inputDeclaration(expr!, e.input) : undefined) });
    if (!opened || !session) return result();
    const s = session;
    bridge = s.bridge;
    const onDisk = flakeOnDisk(s);
    // The names of a flake's package set are not asked ahead: completion in flake.nix offers the default set's.
    if (!s.flake) prefetchPackageNames(s.bridge, env);
    let found: FoundImage[] = [];
    guarded(doc, diagnostics, () => {
      const value = s.flake ? s.flake.outputs : documentValue(s, doc, expr!, env);
      if (value === undefined) return;
      found = imagesIn(s, value, (e, attrPath) => diagnostics.push(...problems(e, doc, {
        onDisk, bridge, fallback: () => (attrPath === undefined ? undefined : writtenSpan(attrPath, s, expr!)),
      })));
    }, { onDisk, bridge });
    for (const image of found) {
      const fallback = () => imageSpan(image, s, doc, expr!);
      guarded(doc, diagnostics, () => images.push(describeImage(image, s, doc, expr!, diagnostics)), { onDisk, fallback, bridge });
    }
  } catch (e) {
    if (!(e instanceof EvaluationStopped) || e.reason !== 'time-limit') throw e;
    diagnostics.push({
      range: fileStart,
      severity: DiagnosticSeverity.Warning,
      source: 'tsportable',
      code: 'time-limit',
      message: `${e.message}: what is shown is what was found before; the file may not terminate (a function that calls itself without end)`,
    });
  } finally {
    evalDiagnostics.warn = warn;
    evalDiagnostics.evaluationWarning = evaluationWarning;
  }
  return result();

  function result(): Analysis {
    return {
      uri: doc.uri, version: doc.version, diagnostics, images, notices,
      ms: performance.now() - started, nixProcesses: nixProcesses() - startedNix,
    };
  }
}

/** Where the document writes each unit: its element of a literal `units` list, and the call or set that makes it. */
function unitPlaces(spec: PortableServiceSpec, call: ast.Call | undefined, doc: DocumentInput): AnalysedImage['units'] {
  const arg = call?.args[call.args.length - 1];
  const unitsDef = arg?.kind === 'attrs' ? arg.attrs.get('units') : undefined;
  const elems = unitsDef?.kind === 'plain' && unitsDef.value.kind === 'list' ? unitsDef.value.elems : [];
  return spec.units.map((u, i) => {
    const elem = elems.length === spec.units.length ? elems[i] : undefined;
    const made = u.object.kind === 'derivation' || u.object.kind === 'foreign' ? u.object.madeAt : undefined;
    return {
      ...(elem ? { element: spanRange(elem.span) } : {}),
      ...(inDocument(made, doc) ? { madeAt: spanRange(made) } : {}),
    };
  });
}

/**
 * Where an image is in the document: its `portableService { ... }` call; for
 * one made in another file, the attribute holding it; for a flake's image
 * that is neither, the flake's `outputs`.
 */
function imageSpan(image: FoundImage, session: Session, doc: DocumentInput, expr: ast.Expr): Span | undefined {
  const callSpan = image.spec.spans.call;
  return inDocument(callSpan, doc) ? callSpan : writtenSpan(image.attrPath, session, expr);
}

/** Where the document writes the value of a file's attribute, or of a flake's output (else the flake's `outputs`). */
function writtenSpan(attrPath: string, session: Session, expr: ast.Expr): Span | undefined {
  if (!session.flake) return attrPath === '' ? undefined : writtenAt(expr, [attrPath]);
  const outputs = expr.kind === 'attrs' ? expr.attrs.get('outputs') : undefined;
  return writtenAt(expr, ['outputs', ...parseAttrPath(attrPath)]) ?? outputs?.nameSpan;
}

function describeImage(image: FoundImage, session: Session, doc: DocumentInput, expr: ast.Expr, out: Diagnostic[]): AnalysedImage {
  const plan = withChecks(planPortableService(image.spec, session.bridge));
  const callSpan = image.spec.spans.call;
  const placed = imageSpan(image, session, doc, expr);
  const range = placed ? spanRange(placed) : undefined;
  const offsets = inDocument(callSpan, doc) ? spanOffsets(callSpan) : undefined;
  const call = offsets ? findCall(expr, offsets.start, offsets.end) : undefined;
  const units = unitPlaces(image.spec, call, doc);
  for (const w of plan.warnings) {
    // A unit's warning goes on that unit where the document writes it (the plan knows only `units`).
    const i = w.unit === undefined ? -1 : plan.units.findIndex((u) => u.name === w.unit);
    const unitRange = i < 0 ? undefined : units[i]!.element ?? units[i]!.madeAt;
    out.push(unitRange ? { ...planWarningDiagnostic(w, doc, range), range: unitRange } : planWarningDiagnostic(w, doc, range));
  }
  return {
    attrPath: image.attrPath,
    ...(image.fragment !== undefined ? { installable: `.#${image.fragment}` } : {}),
    plan,
    ...(range ? { range } : {}),
    ...(call ? { functionRange: spanRange(call.fn.span) } : {}),
    units,
    storeObjects: storeObjectsOf(plan),
  };
}
