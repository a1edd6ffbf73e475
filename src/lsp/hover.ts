/**
 * Hovers, most specific first: a unit (its element of `units`, or the builder
 * call that makes it) shows the unit's text as it will be in the image; an
 * argument name of a `portableService` call, its documentation; the rest of
 * the call, the image; a path literal or `<nixpkgs>`, the path it resolves
 * to; a name, a selection or a binding, its value's type and a short preview
 * (probe.ts).
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Hover, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getBuilder } from '../builders/index.js';
import { NixError } from '../eval/errors.js';
import { findInSearchPath, parseSearchPath } from '../eval/searchPath.js';
import type * as ast from '../eval/syntax/ast.js';
import type { WorkerEnv } from './evaluation.js';
import { documentSession, parseDocument } from './evaluation.js';
import { imageMarkdown, unitMarkdown } from './imageView.js';
import { describeValue, probe } from './probe.js';
import type { AnalysedImage, Analysis, BuiltImage, DocumentInput } from './protocol.js';
import { contains, spanRange } from './ranges.js';
import { findCall, locate, offsets, spanHas, type Located } from './syntaxTree.js';

function markdown(value: string, range?: Range): Hover {
  return { contents: { kind: 'markdown', value }, ...(range ? { range } : {}) };
}

/** The `portableService` call of an image, found again in the syntax tree. */
function imageCall(image: AnalysedImage, text: TextDocument, root: ast.Expr): ast.Call | undefined {
  if (!image.range) return undefined;
  return findCall(root, text.offsetAt(image.range.start), text.offsetAt(image.range.end));
}

function argumentHover(name: string, range: Range): Hover | undefined {
  const arg = getBuilder('portableService')?.arguments?.find((a) => a.name === name || a.aliases.includes(name));
  if (!arg) return undefined;
  const facts = [arg.expected, arg.required ? 'required' : `default \`${arg.defaultSource ?? '…'}\``];
  return markdown(`**${name}** (argument of \`pkgs.portableService\`): ${facts.join(', ')}${arg.doc ? `\n\n${arg.doc}` : ''}`, range);
}

function pathHover(label: string, path: string, range: Range): Hover {
  let what: string;
  try {
    const st = statSync(path);
    what = st.isDirectory() ? `a directory (\`import\` reads its \`default.nix\`)` : `a file, ${st.size} bytes`;
  } catch {
    what = 'it does not exist';
  }
  return markdown(`**${label}** → \`${path}\`\n\n${what}`, range);
}

/** The UTF-16 range a probe wraps for a target, and the label the hover shows. */
function probeTarget(found: Located, doc: DocumentInput): { start: number; end: number; label: string; range: Range } | undefined {
  const t = found.target;
  const of = (from: number, to: number) => ({ start: from, end: to, label: doc.text.slice(from, to) });
  switch (t.kind) {
    case 'var': {
      const o = offsets(t.node.span);
      return { ...of(o.start, o.end), range: spanRange(t.node.span) };
    }
    case 'select': {
      const last = t.attr === t.node.path.length - 1;
      const start = offsets(t.node.span).start;
      const end = last && t.node.fallback ? offsets(t.node.span).end : offsets(t.node.path[t.attr]!.span).end;
      return { ...of(start, end), range: spanRange(t.node.path[t.attr]!.span) };
    }
    case 'attrName': {
      if (t.def.kind !== 'plain') return undefined;
      const o = offsets(t.def.value.span);
      return { start: o.start, end: o.end, label: t.name, range: spanRange(t.def.nameSpan) };
    }
    default: return undefined;
  }
}

export function hover(doc: DocumentInput, offset: number, env: WorkerEnv, analysis: Analysis, built: Readonly<Record<string, BuiltImage>>): Hover | null {
  const text = TextDocument.create(doc.uri, 'nix', doc.version, doc.text);
  const pos = text.positionAt(offset);
  for (const image of analysis.images) {
    const i = image.units.findIndex((u) => u.element && contains(u.element, pos));
    if (i >= 0) return markdown(unitMarkdown(image.plan.units[i]!), image.units[i]!.element);
  }
  let root: ast.Expr;
  try {
    root = parseDocument(doc);
  } catch (e) {
    if (!(e instanceof NixError)) throw e;
    const image = analysis.images.find((im) => im.range && contains(im.range, pos));
    return image ? markdown(imageMarkdown(image, built[image.plan.imageFileName])) : null;
  }
  const found = locate(root, offset);
  if (!found) return null;
  const t = found.target;
  const isName = t.kind === 'var' || t.kind === 'select';

  for (const image of analysis.images) {
    const call = imageCall(image, text, root);
    if (!call || !spanHas(call.span, offset)) continue;
    const arg = call.args[call.args.length - 1];
    if (t.kind === 'attrName' && t.owner === arg) {
      const h = argumentHover(t.name, spanRange(t.def.nameSpan));
      if (h) return h;
    }
    if (spanHas(call.fn.span, offset) || !isName) return markdown(imageMarkdown(image, built[image.plan.imageFileName]), image.range);
  }
  if (t.kind === 'path' && t.node.parts.length === 1 && typeof t.node.parts[0] === 'string') {
    const o = offsets(t.node.span);
    return pathHover(doc.text.slice(o.start, o.end), t.node.parts[0], spanRange(t.node.span));
  }
  if (t.kind === 'searchPath') {
    const session = documentSession(doc, env, []);
    try {
      const path = findInSearchPath(parseSearchPath(session.bridge.searchPath, dirname(doc.path)), t.node.path, t.node.span);
      return pathHover(`<${t.node.path}>`, path, spanRange(t.node.span));
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      return markdown(`**<${t.node.path}>**\n\n${e.message}`, spanRange(t.node.span));
    }
  }
  for (const image of analysis.images) {
    for (const [i, u] of image.units.entries()) {
      if (!u.madeAt || !contains(u.madeAt, pos)) continue;
      const call = findCall(root, text.offsetAt(u.madeAt.start), text.offsetAt(u.madeAt.end));
      if (!isName || (call && spanHas(call.fn.span, offset))) return markdown(unitMarkdown(image.plan.units[i]!), u.madeAt);
    }
  }

  if (t.kind === 'formal') {
    const o = t.formal.fallback && offsets(t.formal.fallback.span);
    const fallback = o ? `; default \`${doc.text.slice(o.start, o.end)}\`` : '';
    return markdown(`**${t.formal.name}**: an argument of the function${fallback}`, spanRange(t.formal.span));
  }
  if (t.kind === 'attrName' && t.def.kind !== 'plain') {
    return markdown(`**${t.name}**: inherited${t.def.kind === 'inheritFrom' ? ' from the set in parentheses' : ' from the enclosing scope'}`, spanRange(t.def.nameSpan));
  }
  const target = probeTarget(found, doc);
  if (!target) return null;
  return markdown(describeValue(target.label, probe(doc, env, target.start, target.end)), target.range);
}
