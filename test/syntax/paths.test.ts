/** Path literals: resolved at parse time like Nix, with and without interpolation. */
import { parse, parseError, printed } from './helpers.js';

describe('path literals', () => {
  it('makes relative paths absolute and canonical against the base directory', () => {
    expect(parse('./a/../b/./c')).toMatchObject({ kind: 'path', base: 'relative', parts: ['/dir/b/c'] });
    expect(parse('a/b')).toMatchObject({ kind: 'path', base: 'relative', parts: ['/dir/a/b'] });
    expect(parse('../x')).toMatchObject({ parts: ['/x'] });
  });
  it('canonicalises absolute paths', () => {
    expect(parse('/a/b/../c')).toMatchObject({ base: 'absolute', parts: ['/a/c'] });
    expect(parse('/a/./b')).toMatchObject({ parts: ['/a/b'] });
  });
  it('resolves ~/ against HOME', () => {
    expect(parse('~/src/x.nix')).toMatchObject({ base: 'home', parts: ['/home/u/src/x.nix'] });
  });
  it('keeps interpolations, resolving the first segment', () => {
    expect(printed('./cow${x}.service')).toBe('(/dir/cow + x + ".service")');
    expect(printed('./dir/${x}')).toBe('(/dir/dir/ + x)');
    expect(printed('~/${x}')).toBe('(/home/u/ + x)');
    expect(printed('~/a/${x}/b')).toBe('(/home/u/a/ + x + "/b")');
  });
  it('rejects a trailing slash', () => {
    expect(parseError('./a/').message).toBe('path has a trailing slash');
  });
  it('reads search paths', () => {
    expect(parse('<nixpkgs/lib>')).toMatchObject({ kind: 'searchPath', path: 'nixpkgs/lib' });
  });
  it('puts the span of a path on its text', () => {
    const e = parse('f ./cow${x}.service');
    const span = e.kind === 'call' ? e.args[0].span : undefined;
    expect([span?.line, span?.column, span?.endColumn]).toEqual([1, 3, 20]);
  });
});
