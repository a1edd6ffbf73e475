/**
 * Completion. While a name is being typed the file is usually not valid Nix
 * (`pkgs.` then nothing), so where the cursor is is read from the text
 * (textContext.ts): after `pkgs.` the package set's names, after `lib.` (or
 * `pkgs.lib.`) lib's, after `builtins.` the builtins; inside the argument set
 * of `pkgs.portableService { ... }` its arguments with their documentation and
 * defaults (from the builder's schema); elsewhere the names in scope, those a
 * `with pkgs;` brings, and the global builtins.
 *
 * The names of the default package set (tsportable's nix/pkgs) are read by
 * evaluating it natively; nixpkgs' take one Nix query, asked once and then
 * kept for the worker's life (an analysis asks for them ahead, `prefetch`).
 */
import { dirname } from 'node:path';
import type { CompletionItem, CompletionList } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { builderAttrPaths, getBuilder } from '../builders/index.js';
import type { Bridge } from '../bridge/index.js';
import { pathLiteral, stringLiteral } from '../bridge/nixLiterals.js';
import { allDefinitions } from '../eval/builtins/registry.js';
import { NixError } from '../eval/errors.js';
import { asNixError, createEvaluator } from '../eval/index.js';
import type * as ast from '../eval/syntax/ast.js';
import { isForeign, NixAttrs, NixList, NixString, type Value } from '../eval/value/index.js';
import { resetHooks } from '../eval/value/hooks.js';
import type { Session } from '../cli/session.js';
import { documentSession, parseDocument, type WorkerEnv } from './evaluation.js';
import type { DocumentInput } from './protocol.js';
import { CompletionItemKind, InsertTextFormat } from './kinds.js';
import { locate, namesInScope, type Scope } from './syntaxTree.js';
import { textContext, type TextContext } from './textContext.js';

const enum Limits {
  /** Items in one answer; more are left to the next keystroke (`isIncomplete`). */
  Items = 1000,
}

/** What a name stands for, by how files conventionally name things. */
type Root = 'pkgs' | 'lib' | 'builtins';

/** A package set's names by its directory, kept for the worker's life. */
const packageNames = new Map<string, readonly string[]>();
/** lib's (and its sub-sets') names, by package set directory and path. */
const libNames = new Map<string, readonly string[]>();

/**
 * A package set's names, its own first: the names tsportable's sets make from
 * host programs (`tsportableHostPrograms`, over a thousand) come last.
 */
function packageNamesExpr(dir: string): string {
  return `let p = import ${pathLiteral(dir)} { }; h = p.tsportableHostPrograms or [ ]; `
    + 'hs = builtins.listToAttrs (map (n: { name = n; value = true; }) h); '
    + 'in builtins.filter (n: !(hs ? ${n})) (builtins.attrNames p) ++ h';
}

/** The Nix query for a package set's names (one process; the main thread keeps its answer). */
function packageNamesArgs(dir: string): string[] {
  return ['--eval', '--json', '-E', packageNamesExpr(dir)];
}

/** Asks ahead for nixpkgs' names, so that the first completion after `pkgs.` does not wait. */
export function prefetchPackageNames(bridge: Bridge, env: WorkerEnv): void {
  if (bridge.usingDefault || packageNames.has(bridge.nixpkgsDir)) return;
  env.runner.prefetch('nix-instantiate', packageNamesArgs(bridge.nixpkgsDir));
}

function packageSetNames(session: Session, env: WorkerEnv): readonly string[] {
  const { bridge } = session;
  const known = packageNames.get(bridge.nixpkgsDir);
  if (known) return known;
  let names: readonly string[];
  if (bridge.usingDefault) {
    // tsportable's own set is plain Nix: evaluated natively, without the bridge's interception of nixpkgs.
    resetHooks();
    try {
      const ev = createEvaluator({ searchPath: [] });
      const list = ev.force(ev.evalExpr(packageNamesExpr(bridge.nixpkgsDir), bridge.nixpkgsDir));
      names = list instanceof NixList ? list.items.map((n) => ev.force(n)).flatMap((n) => (typeof n === 'string' ? [n] : n instanceof NixString ? [n.s] : [])) : [];
    } finally {
      bridge.install();
    }
  } else {
    const r = env.runner.run('nix-instantiate', packageNamesArgs(bridge.nixpkgsDir));
    if (r.exitCode !== 0) return [];
    names = JSON.parse(r.stdout) as string[];
  }
  packageNames.set(bridge.nixpkgsDir, names);
  return names;
}

/** The attribute names of `root.path...` (lib's natively; a package's through Nix). */
function namesAt(session: Session, env: WorkerEnv, root: Root, path: readonly string[]): readonly string[] {
  if (root === 'builtins') return path.length ? [] : session.ev.builtins.sortedNames();
  if (root === 'pkgs' && path.length === 0) return packageSetNames(session, env);
  const inLib = root === 'lib' || path[0] === 'lib';
  const key = `${session.bridge.nixpkgsDir}\u0000${root}.${path.join('.')}`;
  if (inLib && libNames.has(key)) return libNames.get(key)!;
  const select = [...(root === 'lib' ? ['lib'] : []), ...path].map((p) => `.${stringLiteral(p)}`).join('');
  let names: readonly string[] = [];
  try {
    const v: Value = session.ev.force(session.ev.evalExpr(`(import <nixpkgs> { })${select}`, dirname(session.bridge.nixpkgsDir)));
    if (v instanceof NixAttrs) names = v.sortedNames();
    else if (isForeign(v) && v.attrsView) names = v.attrsView(undefined).sortedNames();
  } catch (e) {
    if (!(asNixError(e) instanceof NixError)) throw e;
  }
  if (inLib) libNames.set(key, names);
  return names;
}

/** What a name at the start of a chain stands for: by convention, or by what the text binds it to. */
function rootOf(name: string, text: string): Root | undefined {
  if (name === 'pkgs' || name === 'lib' || name === 'builtins') return name;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const bound = new RegExp(`(?:^|[\\s{;,(])${escaped}\\s*(?:=|\\?)\\s*([^;,]*)`, 'm').exec(text)?.[1] ?? '';
  if (/^import\s+<nixpkgs>/.test(bound) || /^\(\s*import\s+<nixpkgs>/.test(bound)) return 'pkgs';
  if (/^(?:pkgs\.lib\b|import\s+<nixpkgs\/lib>)/.test(bound)) return 'lib';
  return undefined;
}

/** The set a `with` brings into scope, when it is one of the known roots. */
function withRoot(env: ast.Expr, text: string): Root | undefined {
  if (env.kind === 'var') return rootOf(env.name, text);
  if (env.kind === 'call' && env.fn.kind === 'var' && env.fn.name === 'import' && env.args[0]?.kind === 'searchPath') {
    return env.args[0].path === 'nixpkgs' ? 'pkgs' : env.args[0].path === 'nixpkgs/lib' ? 'lib' : undefined;
  }
  if (env.kind === 'select' && env.expr.kind === 'var' && env.path.length === 1 && env.path[0]!.kind === 'static' && env.path[0]!.name === 'lib') return 'lib';
  return undefined;
}

function item(label: string, kind: CompletionItem['kind'], ctx: TextContext, text: TextDocument, extra: Partial<CompletionItem> = {}): CompletionItem {
  const range = { start: text.positionAt(ctx.wordStart), end: text.positionAt(ctx.offset) };
  return { label, kind, textEdit: { range, newText: label }, ...extra };
}

function list(items: CompletionItem[], partial: string): CompletionList {
  if (items.length <= Limits.Items) return { isIncomplete: false, items };
  const lower = partial.toLowerCase();
  const matching = items.filter((i) => i.label.toLowerCase().startsWith(lower));
  return { isIncomplete: true, items: matching.slice(0, Limits.Items) };
}

/** The arguments of a builder called with a set (`pkgs.portableService { | }`), documented. */
function argumentItems(builder: string, ctx: TextContext, text: TextDocument): CompletionItem[] {
  const args = getBuilder(builder)?.arguments ?? [];
  return args.map((a, i) => {
    const detail = `${a.expected}${a.required ? ', required' : a.defaultSource ? `, default ${a.defaultSource}` : ''}`;
    const range = { start: text.positionAt(ctx.wordStart), end: text.positionAt(ctx.offset) };
    return {
      label: a.name,
      kind: CompletionItemKind.Property,
      detail,
      documentation: { kind: 'markdown', value: `${a.doc ?? ''}${a.aliases.length ? `\n\nAlso accepted as ${a.aliases.map((n) => `\`${n}\``).join(', ')}.` : ''}` },
      sortText: `${a.required ? 0 : 1}${String(i).padStart(3, '0')}`,
      insertTextFormat: InsertTextFormat.PlainText,
      textEdit: { range, newText: `${a.name} = ` },
      filterText: a.name,
    };
  });
}

/** The documentation of a builtin, for its completion item. */
function builtinDoc(name: string): Partial<CompletionItem> {
  const doc = allDefinitions().get(name)?.def.doc;
  return doc ? { documentation: doc } : {};
}

function globalNames(): string[] {
  const names = ['true', 'false', 'null', 'builtins'];
  for (const [name, d] of allDefinitions()) if (d.def.global) names.push(name);
  return names;
}

export function complete(doc: DocumentInput, offset: number, env: WorkerEnv): CompletionList {
  const text = TextDocument.create(doc.uri, 'nix', doc.version, doc.text);
  const ctx = textContext(doc.text, offset);
  if (ctx.inStringOrComment) return { isIncomplete: false, items: [] };
  if (ctx.builderArgs !== undefined && getBuilder(ctx.builderArgs)?.arguments) return list(argumentItems(ctx.builderArgs, ctx, text), ctx.partial);

  // A session (bridge and evaluator) only when names are asked of a package set, lib or builtins.
  let session: Session | undefined;
  const opened = () => (session ??= documentSession(doc, env, []));
  if (ctx.chain.length > 0) {
    const root = rootOf(ctx.chain[0]!, doc.text);
    if (root === undefined) return { isIncomplete: false, items: [] };
    const names = namesAt(opened(), env, root, ctx.chain.slice(1));
    const plugins = new Set(builderAttrPaths());
    const kind = (n: string) => (root === 'pkgs' && ctx.chain.length === 1 && plugins.has(n) ? CompletionItemKind.Function : CompletionItemKind.Field);
    return list(names.map((n) => item(n, kind(n), ctx, text, root === 'builtins' ? builtinDoc(n) : {})), ctx.partial);
  }

  const items = new Map<string, CompletionItem>();
  let scope: Scope = [];
  try {
    scope = locate(parseDocument(doc), offset)?.scope ?? [];
  } catch (e) {
    if (!(e instanceof NixError)) throw e;
  }
  for (const name of namesInScope(scope).keys()) items.set(name, item(name, CompletionItemKind.Variable, ctx, text));
  for (const f of scope) {
    if (f.kind !== 'with') continue;
    const root = withRoot(f.env, doc.text);
    if (root === undefined) continue;
    for (const n of namesAt(opened(), env, root, [])) if (!items.has(n)) items.set(n, item(n, CompletionItemKind.Field, ctx, text));
  }
  for (const n of globalNames()) if (!items.has(n)) items.set(n, item(n, CompletionItemKind.Function, ctx, text, builtinDoc(n)));
  return list([...items.values()], ctx.partial);
}
