/** The lexer that finds trailing commas of formals, and leaves every other comma alone. */
import { trailingFormalCommas } from '../../src/eval/syntax/trailingCommas.js';
import { parseError, printed } from './helpers.js';

describe('trailingFormalCommas', () => {
  it('finds the comma after the last formal of a function head', () => {
    expect(trailingFormalCommas('{ a, b, }: a')).toEqual([6]);
    expect(trailingFormalCommas('{ a ? f { x = 1; }, }@args: a')).toEqual([18]);
    expect(trailingFormalCommas('x@{ a, /* c */ }: a')).toEqual([5]);
    expect(trailingFormalCommas('{\n  a, # c\n}:\na')).toEqual([5]);
  });
  it('ignores commas in strings, comments, URIs and interpolations', () => {
    expect(trailingFormalCommas('{ a ? ", }:", }: a')).toEqual([12]);
    expect(trailingFormalCommas("{ a ? ''x, }: ''$${, }:'' ''\\, }: '' , }: a")).toEqual([37]);
    expect(trailingFormalCommas('{ a ? "${ { b, }: b }", }: a')).toEqual([13, 22]);
    expect(trailingFormalCommas('# , }:\n{ a ? http://x,y , }: a')).toEqual([24]);
    expect(trailingFormalCommas('{ a ? http://x, }: a')).toEqual([]);
  });
  it('leaves commas Nix rejects', () => {
    expect(trailingFormalCommas('{ , }: 1')).toEqual([]);
    expect(trailingFormalCommas('{ ..., }: 1')).toEqual([]);
    expect(trailingFormalCommas('[ 1, ]')).toEqual([]);
    expect(trailingFormalCommas('{ a, }')).toEqual([]);
    expect(parseError('[ 1, ]').message).toBe("syntax error, unexpected ','");
  });
  it('parses what it finds with the comma gone', () => {
    expect(printed('{ a ? ", }:", }: a')).toBe('({ a ? ", }:" }: a)');
    // Nix reads `http://x,` as one URI: no trailing comma there.
    expect(printed('{ a ? http://x, }: a')).toBe('({ a ? "http://x," }: a)');
  });
});
