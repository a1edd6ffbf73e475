/**
 * Writes a typed syntax tree back as Nix source, for handing a user's function
 * to real Nix (`overrideAttrs (old: ...)`, overlays). Source text cannot simply
 * be copied: relative paths in it are relative to the user's file, not to the
 * file the bridge generates, and indented strings have already been unindented
 * by the parser. So the tree is printed, fully parenthesised, with every path
 * made absolute. Each printed node's place in the output is recorded with its
 * span, so that an error Nix reports inside the printed text points back into
 * the user's file.
 */
import type * as ast from '../eval/syntax/ast.js';
import type { Span } from '../eval/span.js';
import { attrNameLiteral, escapeStringBody, pathLiteral } from './nixLiterals.js';
import { dependsOnTheWorld } from '../eval/dependencies.js';

/** Where a node landed in the printed text (offsets into it) and where it was written. */
export interface PrintedNode {
  readonly start: number;
  readonly end: number;
  readonly span: Span;
}

export interface Printed {
  readonly text: string;
  /** Outer nodes before inner ones. */
  readonly nodes: readonly PrintedNode[];
}

export function printExpr(e: ast.Expr): Printed {
  const p = new Printer();
  p.expr(e);
  // Nix runs this code: a recorded build cannot list what it reads by a computed name or fetches.
  const impure = /\b(currentTime|fetch[A-Za-z]*|storePath|readFile|readFileType|readDir|pathExists|hashFile|filterSource|findFile|getFlake|scopedImport)\b/.exec(p.out);
  if (impure) dependsOnTheWorld(`a function handed to Nix uses ${impure[1]}`);
  return { text: p.out, nodes: p.nodes };
}

class Printer {
  out = '';
  readonly nodes: PrintedNode[] = [];

  private w(s: string): void {
    this.out += s;
  }

  /** `(e)`. */
  private paren(e: ast.Expr): void {
    this.w('(');
    this.expr(e);
    this.w(')');
  }

  expr(e: ast.Expr): void {
    const node = { start: this.out.length, end: 0, span: e.span };
    this.nodes.push(node);
    this.body(e);
    node.end = this.out.length;
  }

  private body(e: ast.Expr): void {
    switch (e.kind) {
      case 'int': return this.w(e.value.toString());
      case 'float': return this.w(e.text);
      case 'string': return this.parts(e.parts);
      case 'path':
        // The parser already made the first part absolute; with interpolation, `/. + "..."` gives the same path.
        if (e.parts.length === 1 && typeof e.parts[0] === 'string') return this.w(pathLiteral(e.parts[0]));
        this.w('(/. + ');
        this.parts(e.parts);
        return this.w(')');
      case 'searchPath': return this.w(`<${e.path}>`);
      case 'var': return this.w(e.name);
      case 'select':
        this.w('(');
        this.paren(e.expr);
        this.w('.');
        this.attrPath(e.path);
        if (e.fallback) {
          this.w(' or ');
          this.paren(e.fallback);
        }
        return this.w(')');
      case 'hasAttr':
        this.w('(');
        this.paren(e.expr);
        this.w(' ? ');
        this.attrPath(e.path);
        return this.w(')');
      case 'attrs':
        this.w(e.rec ? 'rec { ' : '{ ');
        this.bindings(e.attrs, e.inheritFrom);
        for (const d of e.dynamic) {
          this.w('${');
          this.expr(d.name);
          this.w('} = ');
          this.expr(d.value);
          this.w('; ');
        }
        return this.w('}');
      case 'let':
        this.w('(let ');
        this.bindings(e.attrs, e.inheritFrom);
        this.w('in ');
        this.expr(e.body);
        return this.w(')');
      case 'list':
        this.w('[ ');
        for (const x of e.elems) {
          this.paren(x);
          this.w(' ');
        }
        return this.w(']');
      case 'lambda':
        this.w('(');
        this.lambdaHead(e);
        this.w(': ');
        this.expr(e.body);
        return this.w(')');
      case 'call':
        this.w('(');
        this.paren(e.fn);
        for (const a of e.args) {
          this.w(' ');
          this.paren(a);
        }
        return this.w(')');
      case 'with':
        this.w('(with ');
        this.expr(e.env);
        this.w('; ');
        this.expr(e.body);
        return this.w(')');
      case 'if':
        this.w('(if ');
        this.expr(e.cond);
        this.w(' then ');
        this.expr(e.then);
        this.w(' else ');
        this.expr(e.else);
        return this.w(')');
      case 'assert':
        this.w('(assert ');
        this.expr(e.cond);
        this.w('; ');
        this.expr(e.body);
        return this.w(')');
      case 'binop':
        this.w('(');
        this.paren(e.left);
        this.w(` ${e.op} `);
        this.paren(e.right);
        return this.w(')');
      case 'not':
        this.w('(!');
        this.paren(e.expr);
        return this.w(')');
      case 'neg':
        this.w('(-');
        this.paren(e.expr);
        return this.w(')');
    }
  }

  private parts(parts: ReadonlyArray<string | ast.Expr>): void {
    this.w('"');
    for (const p of parts) {
      if (typeof p === 'string') {
        this.w(escapeStringBody(p));
      } else {
        this.w('${');
        this.expr(p);
        this.w('}');
      }
    }
    this.w('"');
  }

  private attrPath(path: ReadonlyArray<ast.AttrName>): void {
    path.forEach((a, i) => {
      if (i > 0) this.w('.');
      if (a.kind === 'static') {
        this.w(attrNameLiteral(a.name));
      } else {
        this.w('${');
        this.expr(a.expr);
        this.w('}');
      }
    });
  }

  private bindings(attrs: ReadonlyMap<string, ast.AttrDef>, inheritFrom: ReadonlyArray<ast.Expr>): void {
    for (const [name, def] of attrs) {
      const n = attrNameLiteral(name);
      if (def.kind === 'plain') {
        this.w(`${n} = `);
        this.expr(def.value);
        this.w('; ');
      } else if (def.kind === 'inherit') {
        this.w(`inherit ${n}; `);
      } else {
        this.w('inherit ');
        this.paren(inheritFrom[def.from]);
        this.w(` ${n}; `);
      }
    }
  }

  private lambdaHead(e: ast.Lambda): void {
    if (!e.formals) return this.w(e.param ?? '_');
    this.w('{ ');
    e.formals.entries.forEach((f, i) => {
      if (i > 0) this.w(', ');
      this.w(f.name);
      if (f.fallback) {
        this.w(' ? ');
        this.paren(f.fallback);
      }
    });
    if (e.formals.ellipsis) this.w(e.formals.entries.length ? ', ...' : '...');
    this.w(' }');
    if (e.param) this.w(`@${e.param}`);
  }
}
