/**
 * Where the cursor is, read from text that is usually not valid Nix while a
 * name is typed (src/lsp/textContext.ts). `|` marks the cursor.
 */
import { textContext } from '../../src/lsp/textContext.js';

function at(marked: string) {
  const offset = marked.indexOf('|');
  return textContext(marked.replace('|', ''), offset);
}

test('the dotted name being typed', () => {
  expect(at('{ pkgs }: pkgs.|')).toMatchObject({ chain: ['pkgs'], partial: '', inStringOrComment: false });
  expect(at('x: pkgs.lib.str|ings')).toMatchObject({ chain: ['pkgs', 'lib'], partial: 'str' });
  expect(at('[ demo-serv| ]')).toMatchObject({ chain: [], partial: 'demo-serv', wordStart: 2 });
});

test('strings and comments: nothing to complete, except inside an interpolation', () => {
  expect(at('"pkgs.|"').inStringOrComment).toBe(true);
  expect(at("''\n  ExecStart=${pkgs.|}\n''")).toMatchObject({ inStringOrComment: false, chain: ['pkgs'] });
  expect(at("'' ''${not} ''' pkgs.|''").inStringOrComment).toBe(true);
  expect(at('# pkgs.|').inStringOrComment).toBe(true);
  expect(at('/* pkgs.| */').inStringOrComment).toBe(true);
  expect(at('/* } */ { a = "}"; # }\n b|').inStringOrComment).toBe(false);
});

test('the start of a binding in the argument set of a builder call', () => {
  expect(at('pkgs.portableService {\n  pn|').builderArgs).toBe('portableService');
  expect(at('pkgs.portableService { pname = "x"; |}').builderArgs).toBe('portableService');
  expect(at('pkgs.portableService { units = [ { | } ]; }').builderArgs).toBeUndefined();
  expect(at('pkgs.portableService { pname = |').builderArgs).toBeUndefined();
  expect(at('rec { |').builderArgs).toBeUndefined();
  expect(at('pkgs.portableService { description = "{"; |').builderArgs).toBe('portableService');
});
