/** Every named node type of the grammar's node-types.json is handled by lowering. */
import { grammarNodeTypes } from '../../src/eval/syntax/treeSitter.js';
import { HANDLED_NODE_TYPES } from '../../src/eval/syntax/lower.js';
import { parseTree } from '../../src/eval/syntax/parse.js';
import { parse } from './helpers.js';

/** One source that contains every construct of the language. */
const SAMPLE = `# comment
{ a, b ? 1, ... }@args: x: assert true; with a; let c = 1; inherit (a) d; inherit b; in
if !c then -1.5 else rec { e.f = "s\\n\${c}"; g = ''i ''$ \${c}''; h = ./p\${c}; i = ~/q; j = <n>;
  k = http://u; l = [ (c) ]; m = a.b or c; n = a ? b; o = f c; p = let { body = 1; }; q = c + 1; r = { s = 1; }; }`;

describe('node types', () => {
  it('the sample covers every named node type of the grammar', () => {
    const seen = new Set<string>();
    const c = parseTree(SAMPLE).walk();
    for (;;) {
      if (c.nodeIsNamed) seen.add(c.nodeType);
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) if (!c.gotoParent()) break;
      if (c.currentDepth === 0) break;
    }
    const named = grammarNodeTypes().filter((t) => t.named).map((t) => t.type);
    expect(named.length).toBeGreaterThan(30);
    for (const type of named) {
      expect(HANDLED_NODE_TYPES.has(type)).toBe(true);
      if (type !== '_expression') expect([type, seen.has(type)]).toEqual([type, true]);
    }
    expect(parse(SAMPLE).kind).toBe('lambda');
  });
});
