/**
 * Path literals are resolved when the file is parsed, as Nix does: `./a/../b`
 * in /dir/default.nix is the path /dir/b before anything is evaluated, and
 * `~/x` is $HOME/x. The canonical form has no `.` or `..` segments, no
 * repeated or trailing slashes; a trailing slash written before an
 * interpolation (`./dir/${x}`) is kept, since the interpolation continues the
 * name.
 */

/** The canonical absolute form of `path` (relative paths against `base`). */
export function canonicalPath(path: string, base: string): string {
  const segments: string[] = [];
  const full = path.startsWith('/') ? path : `${base}/${path}`;
  for (const seg of full.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  return '/' + segments.join('/');
}

/** The value of the first token of a path literal, resolved like Nix's parser. */
export function resolvePathStart(literal: string, kind: 'absolute' | 'relative' | 'home', baseDir: string, home: string): string {
  if (kind === 'home') return home + literal.slice(1);
  let path = canonicalPath(literal, baseDir);
  if (literal.length > 1 && literal.endsWith('/') && path !== '/') path += '/';
  return path;
}
