/**
 * One analysis of one version of a document, in the worker: every syntax
 * error; the evaluation of the file as nix-build would evaluate it, its first
 * error at its span with the trace; for each image found, the `show` plan
 * with the checks that need no build (show/checks.ts), as diagnostics with
 * their codes, and where its call and units are written, for hovers, code
 * lenses and symbols. Nothing is built.
 *
 * An analysis past its time limit keeps what it found and says it stopped;
 * one overtaken by a newer edit is abandoned (the worker's poll throws
 * `EvaluationStopped` 'cancelled' through here).
 */
import type { Diagnostic } from 'vscode-languageserver';
import { planPortableService } from '../builders/index.js';
import type { PortableServiceSpec } from '../builders/index.js';
import { EvaluationStopped } from '../eval/cancel.js';
import { diagnostics as evalDiagnostics } from '../eval/diagnostics.js';
import { NixError } from '../eval/errors.js';
import { asNixError } from '../eval/index.js';
import type * as ast from '../eval/syntax/ast.js';
import type { Span } from '../eval/span.js';
import { spanOffsets } from '../eval/syntax/positions.js';
import { withChecks } from '../show/index.js';
import type { Session } from '../cli/session.js';
import { prefetchPackageNames } from './completion.js';
import { errorDiagnostics, planWarningDiagnostic, warningDiagnostic } from './diagnostics.js';
import { documentSession, documentValue, imagesIn, parseDocument, type FoundImage, type WorkerEnv } from './evaluation.js';
import { storeObjectsOf } from './imageView.js';
import { DiagnosticSeverity } from './kinds.js';
import type { AnalysedImage, Analysis, DocumentInput } from './protocol.js';
import { fileStart, spanRange } from './ranges.js';
import { findCall } from './syntaxTree.js';

/** Runs `f`, turning a NixError (or a JS stack overflow) into diagnostics; false when it failed. */
function guarded(doc: DocumentInput, out: Diagnostic[], f: () => void): boolean {
  try {
    f();
    return true;
  } catch (e) {
    const err = asNixError(e);
    if (!(err instanceof NixError)) throw err;
    out.push(...errorDiagnostics(err, doc));
    return false;
  }
}

export function analyse(doc: DocumentInput, env: WorkerEnv, nixProcesses: () => number): Analysis {
  const started = performance.now();
  const startedNix = nixProcesses();
  const diagnostics: Diagnostic[] = [];
  const notices: string[] = [];
  const images: AnalysedImage[] = [];
  const warn = evalDiagnostics.warn;
  evalDiagnostics.warn = (w) => {
    const d = warningDiagnostic(w, doc);
    if (d) diagnostics.push(d);
  };
  try {
    let expr: ast.Expr | undefined;
    if (!guarded(doc, diagnostics, () => { expr = parseDocument(doc); })) return result();
    const session = documentSession(doc, env, notices);
    prefetchPackageNames(session.bridge, env);
    let found: FoundImage[] = [];
    guarded(doc, diagnostics, () => {
      const value = documentValue(session, doc, expr!);
      if (value !== undefined) found = imagesIn(session, value, (e) => diagnostics.push(...errorDiagnostics(e, doc)));
    });
    for (const image of found) {
      guarded(doc, diagnostics, () => images.push(describeImage(image, session, doc, expr!, diagnostics)));
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
  }
  return result();

  function result(): Analysis {
    return {
      uri: doc.uri, version: doc.version, diagnostics, images, notices,
      ms: performance.now() - started, nixProcesses: nixProcesses() - startedNix,
    };
  }
}

function inDocument(span: Span | undefined, doc: DocumentInput): span is Span {
  return span !== undefined && span.source.path === doc.path && span.source.text === doc.text;
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

function describeImage(image: FoundImage, session: Session, doc: DocumentInput, expr: ast.Expr, out: Diagnostic[]): AnalysedImage {
  const plan = withChecks(planPortableService(image.spec, session.bridge));
  const callSpan = image.spec.spans.call;
  const range = inDocument(callSpan, doc) ? spanRange(callSpan) : undefined;
  const offsets = callSpan && range ? spanOffsets(callSpan) : undefined;
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
    plan,
    ...(range ? { range } : {}),
    ...(call ? { functionRange: spanRange(call.fn.span) } : {}),
    units,
    storeObjects: storeObjectsOf(plan),
  };
}
