/**
 * The argument-schema facility on real evaluated Nix values: types, defaults,
 * aliases, Nix's order of call errors, and messages at the attributes' spans.
 */
import { NixError } from '../../src/eval/errors.js';
import { alias, optional, positional, readArgSet, readPositional, required, t } from '../../src/builders/schema.js';
import { plainText } from '../../src/builders/types.js';
import { evaluator } from './harness.js';

const decls = {
  name: required(t.string),
  count: optional(t.int, 3),
  flag: optional(t.bool, false),
  note: optional(t.nullable(t.string), null),
  tags: optional(t.listOf(t.string, 'strings'), []),
  tools: alias(optional(t.nullable(t.string), null), 'oldTools'),
  links: optional(t.listOf(t.shape('a set with \'to\'', { to: required(t.string) }), 'sets with \'to\''), []),
};

function read(src: string) {
  return readArgSet('demoBuilder', decls, evaluator.evalExpr(src, '/tmp', '/tmp/args.nix'), undefined);
}

function fail(src: string): NixError {
  try {
    read(src);
  } catch (e) {
    if (e instanceof NixError) return e;
    throw e;
  }
  throw new Error('no error');
}

const pos = (e: NixError) => `${e.span?.line}:${e.span?.column}`;

describe('readArgSet', () => {
  test('reads typed values, defaults and spans', () => {
    const r = read('{\n  name = "x";\n  tags = [ "a" "b${"c"}" ];\n  flag = true;\n}');
    expect(r.values.name).toEqual(plainText('x'));
    expect(r.values.count).toBe(3);
    expect(r.values.flag).toBe(true);
    expect(r.values.note).toBeNull();
    expect(r.values.tags.map((x) => x.text)).toEqual(['a', 'bc']);
    expect([...r.given].sort()).toEqual(['flag', 'name', 'tags']);
    expect(r.spans.tags?.line).toBe(3);
    expect(r.spans.tags?.column).toBe(3);
    expect(r.spans.count).toBeUndefined();
  });

  test('a missing required argument is reported before an unexpected one, at the call', () => {
    const e = fail('{ foo = 1; }');
    expect(e.message).toBe("demoBuilder: called without required argument 'name'");
  });

  test('an unexpected argument is an error at its own span, with a suggestion', () => {
    const e = fail('{\n  name = "x";\n  cont = 2;\n}');
    expect(e.message).toBe("demoBuilder: called with unexpected argument 'cont'");
    expect(pos(e)).toBe('3:3');
    expect(e.hints).toEqual(['Did you mean count?']);
  });

  test('wrong type: message names builder, argument, expected and found types, at the argument', () => {
    const e = fail('{\n  name = "x";\n    count = "3";\n}');
    expect(e.message).toBe("demoBuilder: argument 'count' must be an integer, but found a string");
    expect(pos(e)).toBe('3:5');
  });

  test('a bad list element names its position in the list', () => {
    const e = fail('{ name = "x"; tags = [ "a" 2 ]; }');
    expect(e.message).toBe("demoBuilder: argument 'tags' must be a list of strings, but element 2 is an integer");
    expect(fail('{ name = "x"; tags = "a"; }').message)
      .toBe("demoBuilder: argument 'tags' must be a list of strings, but found a string");
  });

  test('nullable types accept null and say so when they reject', () => {
    expect(read('{ name = "x"; note = null; }').values.note).toBeNull();
    expect(fail('{ name = "x"; note = 1; }').message)
      .toBe("demoBuilder: argument 'note' must be a string or null, but found an integer");
  });

  test('nested sets are checked with the same rules, at their own attributes', () => {
    const e = fail('{\n  name = "x";\n  links = [\n    { to = "a"; }\n    { to = 3; }\n  ];\n}');
    expect(e.message).toBe("demoBuilder: attribute 'to' of element 2 of argument 'links' must be a string, but found an integer");
    expect(pos(e)).toBe('5:7');
    const missing = fail('{ name = "x"; links = [ { } ]; }');
    expect(missing.message).toBe("demoBuilder: called without required argument 'to' in element 1 of argument 'links'");
    const extra = fail('{\n  name = "x";\n  links = [ { to = "a"; from = "b"; } ];\n}');
    expect(extra.message).toBe("demoBuilder: called with unexpected argument 'from' in element 1 of argument 'links'");
    expect(pos(extra)).toBe('3:25');
    const r = read('{ name = "x"; links = [ { to = "a"; } ]; }');
    expect(r.values.links[0].values.to.text).toBe('a');
    expect(r.values.links[0].spans.to?.column).toBe(27);
  });

  test('legacy names are accepted, but not together with the new name', () => {
    const r = read('{ name = "x"; oldTools = "t"; }');
    expect(r.values.tools?.text).toBe('t');
    expect(r.given.has('tools')).toBe(true);
    const e = fail('{\n  name = "x";\n  tools = "a";\n  oldTools = "b";\n}');
    expect(e.message).toBe("demoBuilder: 'tools' and 'oldTools' are the same argument; give only one");
    expect(pos(e)).toBe('4:3');
  });

  test('a non-set argument', () => {
    expect(fail('[ ]').message).toBe('demoBuilder: expected a set of arguments, but found a list');
  });

  test('ellipsis keeps undeclared attributes with their spans', () => {
    const r = readArgSet('demoBuilder', { name: required(t.string) },
      evaluator.evalExpr('{ name = "x";\n  extra = 1; }', '/tmp', '/tmp/a.nix'), undefined, { ellipsis: true });
    expect([...r.extra.keys()]).toEqual(['extra']);
    expect(r.extra.get('extra')?.span?.line).toBe(2);
  });

  test('errors raised while forcing an argument keep their own message and span', () => {
    const e = fail('{\n  name = throw "boom";\n}');
    expect(e.message).toBe('boom');
    expect(e.kind).toBe('throw');
  });
});

describe('argument types', () => {
  test('stringCoercible follows toString with coerceMore, interpolation otherwise', () => {
    const v = evaluator.evalExpr('[ 1 true null [ "a" "b" ] "s" ]', '/tmp');
    const r = readPositional('demo', [positional('xs', t.listOf(t.stringCoercible(true), 'values'))], [v], undefined);
    expect(r[0].map((x) => x.text)).toEqual(['1', '1', '', 'a b', 's']);
    expect(() => readPositional('demo', [positional('x', t.stringCoercible(false))], [evaluator.evalExpr('1', '/tmp')], undefined))
      .toThrow("demo: argument 'x' must be a string or a value that converts to one, but found an integer");
  });

  test('derivation: a set with outPath (and name when asked), keeping the context', () => {
    const v = evaluator.evalExpr('{ name = "a.service"; outPath = "/nix/store/00000000000000000000000000000000-a.service"; }', '/tmp');
    const [d] = readPositional('demo', [positional('u', t.derivation({ needName: true }))], [v], undefined);
    expect(d.kind).toBe('derivation');
    if (d.kind !== 'derivation') return;
    expect(d.name?.text).toBe('a.service');
    expect(d.outPath.text).toBe('/nix/store/00000000000000000000000000000000-a.service');
    expect(() => readPositional('demo', [positional('u', t.derivation({ needName: true }))],
      [evaluator.evalExpr('{ outPath = "/x"; }', '/tmp')], undefined))
      .toThrow("demo: argument 'u' must be a derivation (a set with 'name' and 'outPath'), but found a set without a 'name' attribute");
  });

  test('pathLike keeps local paths unresolved (no store copy while reading)', () => {
    const [p] = readPositional('demo', [positional('p', t.pathLike)], [evaluator.evalExpr('./x.service', '/srv')], undefined);
    expect(p).toEqual({ kind: 'path', path: '/srv/x.service', describe: '/srv/x.service' });
  });

  test('positional arity is checked', () => {
    expect(() => readPositional('demo', [positional('a', t.string)], [], undefined)).toThrow('demo: expected 1 arguments, got 0');
  });
});
