/**
 * The value of an expression of the document, for a hover. A value exists
 * only in the environment the expression is evaluated in (the arguments of
 * the function around it, the bindings of its `let`), and the evaluator keeps
 * no map from places to values; so the document is evaluated again with the
 * expression wrapped in a call of a probe, `(__tsportableProbe (e))`, a
 * function in scope in the whole file that records its argument and returns
 * it. Evaluating the file as an analysis does (its images' plans included)
 * reaches the expressions that make up the images; if the probe was not
 * reached, the file's value is explored a few levels deep. An expression that
 * nothing evaluates (the body of a function never called) has no value.
 */
import type { Session } from '../cli/session.js';
import { errorWithRealPaths } from '../cli/realPaths.js';
import { planPortableService } from '../builders/index.js';
import type { ForeignWithBuilder } from '../builders/types.js';
import { NixError } from '../eval/errors.js';
import { asNixError } from '../eval/index.js';
import { type Lazy, type Value, isForeign, Lambda, NixAttrs, NixList, NixPath, NixString, PrimOp, PrimOpApp } from '../eval/value/index.js';
import { force, forceMaterialized } from '../eval/value/force.js';
import { functionPreview, previewValue, quoteString } from '../eval/value/preview.js';
import { showType } from '../eval/value/types.js';
import { documentSession, documentValue, imagesIn, parseVariant, type WorkerEnv } from './evaluation.js';
import type { DocumentInput } from './protocol.js';

const probeName = '__tsportableProbe';

const enum Limits {
  /** Levels of the file's value explored when its images did not reach the expression. */
  ExploreDepth = 3,
  /** Values forced while exploring. */
  ExploreValues = 200,
  /** Lines of a builder's text shown. */
  TextLines = 30,
  /** Bytes of a string shown. */
  StringBytes = 1024,
}

/** What the probe saw: the first value the expression had, or that nothing evaluated it. */
type Probed = { readonly reached: true; readonly value: Lazy; readonly session: Session } | { readonly reached: false };

function nixErrorOf(e: unknown): NixError {
  const err = asNixError(e);
  if (err instanceof NixError) return err;
  throw err;
}

/** Evaluates the document with the text from `start` to `end` (UTF-16 offsets) probed. */
export function probe(doc: DocumentInput, env: WorkerEnv, start: number, end: number): Probed {
  const text = `${doc.text.slice(0, start)}(${probeName} (${doc.text.slice(start, end)}))${doc.text.slice(end)}`;
  let seen: Lazy | undefined;
  const op = new PrimOp(probeName, 1, ([x]) => {
    seen ??= x;
    return force(x);
  }, 'records the value of the expression under the cursor');
  const session = documentSession(doc, env, []);
  try {
    const value = documentValue(session, doc, parseVariant(doc, text), env, new Map([[probeName, op]]));
    if (seen === undefined && value !== undefined) {
      for (const image of imagesIn(session, value, () => {})) {
        if (seen !== undefined) break;
        planPortableService(image.spec, session.bridge);
      }
      if (seen === undefined) explore(value, () => seen !== undefined);
    }
  } catch (e) {
    nixErrorOf(e); // the file fails elsewhere: what was seen before still counts
  }
  return seen === undefined ? { reached: false } : { reached: true, value: seen, session };
}

/** Forces the parts of a native value, breadth first, until `done`. */
function explore(root: Value, done: () => boolean): void {
  let level: Lazy[] = [root];
  let budget: number = Limits.ExploreValues;
  for (let depth = 0; depth < Limits.ExploreDepth && level.length && !done(); depth++) {
    const next: Lazy[] = [];
    for (const v of level) {
      if (done() || budget-- <= 0) return;
      let x: Value;
      try {
        x = force(v);
      } catch (e) {
        nixErrorOf(e);
        continue;
      }
      if (x instanceof NixAttrs) for (const n of x.sortedNames()) next.push(x.get(n)!);
      else if (x instanceof NixList) next.push(...x.items);
    }
    level = next;
  }
}

function fence(text: string): string {
  return `\`\`\`nix\n${text}\n\`\`\``;
}

/** A foreign value's attribute, read through Nix when needed; undefined when it has none or it fails. */
function foreignAttr(v: Value, path: readonly string[]): string | undefined {
  try {
    let cur: Lazy = v;
    for (const name of path) {
      const x = forceMaterialized(cur);
      const next = isForeign(x) ? x.select(name, undefined) : x instanceof NixAttrs ? x.get(name) : undefined;
      if (next === undefined) return undefined;
      cur = next;
    }
    const s = forceMaterialized(cur);
    return typeof s === 'string' ? s : s instanceof NixString ? s.s : undefined;
  } catch (e) {
    nixErrorOf(e);
    return undefined;
  }
}

/** The hover text of a probed value: its type and a short preview; for a package, its name, version and description. */
export function describeValue(label: string, probed: Probed): string {
  const head = `**${label}**`;
  if (!probed.reached) return `${head}\n\nNot evaluated: nothing in this file's value uses it (it may be inside a function that is never called).`;
  let x: Value;
  try {
    x = force(probed.value);
  } catch (e) {
    // As the diagnostics say it: a package by its real path.
    return `${head}\n\nEvaluating it fails: ${errorWithRealPaths(probed.session.bridge, nixErrorOf(e)).message}`;
  }
  const bridge = probed.session.bridge;
  if (isForeign(x)) {
    const builtBy = (x as ForeignWithBuilder).builder;
    if (builtBy) {
      const p = builtBy.plugin.preview(builtBy.spec, bridge);
      const lines = p.text?.split('\n');
      const text = lines === undefined ? '' : `\n\n${fence(lines.length > Limits.TextLines ? [...lines.slice(0, Limits.TextLines), '…'].join('\n') : lines.join('\n'))}`;
      return `${head}: a derivation made by \`pkgs.${builtBy.plugin.attrPath}\`, named \`${p.name}\`${p.destination ? `, its file at \`${p.destination}\`` : ''}${text}`;
    }
    const facts = [['name', ['name']], ['version', ['version']], ['description', ['meta', 'description']]] as const;
    const known = facts.flatMap(([what, path]) => {
      const s = foreignAttr(x, path);
      return s === undefined ? [] : [`- ${what}: ${s}`];
    });
    return `${head}: \`${x.describe()}\`, evaluated by Nix${known.length ? `\n\n${known.join('\n')}` : ''}`;
  }
  const type = showType(x);
  if (x instanceof Lambda || x instanceof PrimOp || x instanceof PrimOpApp) {
    const formals = x instanceof Lambda && x.expr.formals
      ? `\n\n${fence(`{ ${[...x.expr.formals.entries.map((f) => (f.fallback ? `${f.name} ? …` : f.name)), ...(x.expr.formals.ellipsis ? ['...'] : [])].join(', ')} }: …`)}`
      : '';
    const op = x instanceof PrimOp ? x : x instanceof PrimOpApp ? x.op : undefined;
    return `${head}: ${type}, ${functionPreview(x)}${formals}${op?.doc ? `\n\n${op.doc}` : ''}`;
  }
  if (typeof x === 'string' || x instanceof NixString) {
    const text = typeof x === 'string' ? x : bridge.renderText(x);
    const note = x instanceof NixString && x.context.size ? ' (it refers to store paths, shown as `${...}` until they are built)' : '';
    return `${head}: ${type}${note}\n\n${fence(quoteString(text, Limits.StringBytes))}`;
  }
  if (x instanceof NixPath) return `${head}: ${type}\n\n${fence(x.path)}`;
  // Strings inside show store paths not built yet as a string does (`${pkgs.hello}`).
  return `${head}: ${type}\n\n${fence(bridge.renderText(previewValue(x)))}`;
}
