/**
 * Path canonicalisation as Nix does it for path values: absolute, no `.` or
 * `..` components, no repeated or trailing slashes; symlinks are not resolved.
 */
export function canonPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}
