/** String literals: escapes, indented strings and their indentation rules. */
import { parse, printed } from './helpers.js';

function parts(src: string): unknown {
  const e = parse(src);
  if (e.kind !== 'string') throw new Error(`not a string: ${e.kind}`);
  return e.parts.map((p) => (typeof p === 'string' ? p : `<${p.kind}>`));
}

describe('double-quoted strings', () => {
  it('resolves escapes', () => {
    expect(parts('"a\\nb\\tc\\rd\\\\e\\"f\\qg"')).toEqual(['a\nb\tc\rd\\e"fqg']);
  });
  it('keeps $${ and a lone $ literal; \\${ is an escaped interpolation', () => {
    expect(parts('"$${x} $ a$"')).toEqual(['$${x} $ a$']);
    expect(parts('"\\${x}"')).toEqual(['${x}']);
  });
  it('normalises raw CR and CR LF to LF', () => {
    expect(parts('"a\r\nb\rc"')).toEqual(['a\nb\nc']);
  });
  it('splits at interpolations and merges text', () => {
    expect(parts('"a${b}c${d}"')).toEqual(['a', '<var>', 'c', '<var>']);
    expect(parts('""')).toEqual([]);
  });
});

describe('indented strings', () => {
  it('strips the common indentation (spaces only)', () => {
    expect(parts("''\n    a\n      b\n  ''")).toEqual(['a\n  b\n']);
  });
  it('ignores empty and whitespace-only lines for the minimum', () => {
    expect(parts("''\n    a\n\n      \n    b\n''")).toEqual(['a\n\n  \nb\n']);
  });
  it('counts tabs as text, not indentation', () => {
    expect(parts("''\n\ta\n  b\n''")).toEqual(['\ta\n  b\n']);
  });
  it('drops spaces then a newline right after the opening quotes', () => {
    expect(parts("''   \n  x''")).toEqual(['x']);
    expect(parts("''  x\n y''")).toEqual([' x\ny']);
  });
  it('drops a last line of only spaces', () => {
    expect(parts("''\n  a\n  ''")).toEqual(['a\n']);
    expect(parts("''\n  a\n  b''")).toEqual(['a\nb']);
  });
  it('counts interpolations as text for indentation', () => {
    expect(parts("''\n    ${x}\n      b\n''")).toEqual(['<var>', '\n  b\n']);
    expect(parts("''\n  ${x}\n    b\n''")).toEqual(['<var>', '\n  b\n']);
  });
  it("resolves ''$, ''', ''\\n, ''\\t, ''\\\\ and leaves $${ literal", () => {
    expect(parts("''a''${b}''")).toEqual(['a${b}']);
    expect(parts("''a'''b''")).toEqual(["a''b"]);
    expect(parts("''a''\\nb''\\tc''\\\\d''")).toEqual(['a\nb\tc\\d']);
    expect(parts("''$${x}''")).toEqual(['$${x}']);
  });
  it('treats escapes as text that ends leading whitespace', () => {
    // The escaped newline is text: the line it is on has indentation 2.
    expect(parts("''\n  ''\\n\n    a\n''")).toEqual(['\n\n  a\n']);
  });
  it('prints like Nix for the cases of parse-okay-ind-string', () => {
    expect(printed("''${x}\n    end''")).toBe('(x + "\\n    end")');
    expect(printed("''''")).toBe('""');
    expect(printed("''\n  ''")).toBe('""');
    expect(printed("''\n    end''")).toBe('"end"');
  });
});
