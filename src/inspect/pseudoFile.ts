/**
 * Parses the listing part of the pseudo file `unsquashfs -pf` writes: one
 * line per entry, `NAME TYPE MTIME MODE UID GID [fields]`, then a marker, then
 * the data of every regular file (each `R` line gives its size and offset
 * there). We read this instead of `unsquashfs -lls` because names are escaped
 * (a name may hold ` -> `, which makes `ls`-style output ambiguous) and because
 * one stream gives both the listing and every file's contents.
 *
 * unsquashfs 4.5.1 escapes spaces and backslashes in names with a backslash,
 * but writes a newline in a name as it is. A line that does not parse is
 * therefore the first part of a name, joined with the next line.
 */
import type { EntryKind, ImageEntry } from './tree.js';

/**
 * The three lines between the listing and the data, with the newline ending the
 * last listing line (so a name ending in `#` cannot look like the marker's start).
 */
export const dataMarker = '\n#\n# START OF DATA - DO NOT MODIFY\n#\n';

const kinds: Record<string, EntryKind> = {
  D: 'directory',
  R: 'file',
  S: 'symlink',
  C: 'char-device',
  B: 'block-device',
};

/** Splits at unescaped spaces, removing the escapes. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) field += line[++i];
    else if (c === ' ') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function imagePath(name: string): string {
  return name === '/' ? '/' : `/${name.replace(/^\/+/, '')}`;
}

interface HardLink {
  readonly path: string;
  readonly target: string;
}

function parseLine(line: string): ImageEntry | HardLink | undefined {
  const f = splitFields(line);
  if (f.length >= 3 && f[1] === 'L') return { path: imagePath(f[0]!), target: imagePath(f.slice(2).join(' ')) };
  if (f.length < 6) return undefined;
  const [name, type, mtime, mode, uid, gid] = f as [string, string, string, string, string, string];
  const numbers = [mtime, mode, uid, gid];
  if (!numbers.every((n) => /^\d+$/.test(n))) return undefined;
  const base = {
    path: imagePath(name),
    mtime: Number(mtime),
    mode: parseInt(mode, 8),
    uid: Number(uid),
    gid: Number(gid),
  };
  const rest = f.slice(6);
  if (type === 'I') {
    if (rest[0] !== 'f' && rest[0] !== 's') return undefined;
    return { ...base, kind: rest[0] === 'f' ? 'fifo' : 'socket' };
  }
  const kind = kinds[type];
  if (!kind) return undefined;
  if (kind === 'file') {
    if (rest.length !== 2 || !rest.every((n) => /^\d+$/.test(n))) return undefined;
    return { ...base, kind, size: Number(rest[0]), dataOffset: Number(rest[1]) };
  }
  // A symlink target is the rest of the line; splitting removed its escapes.
  if (kind === 'symlink') return { ...base, kind, target: rest.join(' ') };
  return { ...base, kind };
}

/**
 * The entries of a pseudo-file listing (the text before `dataMarker`), keyed by
 * image path. Hard links get the attributes of the entry they link to.
 */
export function parsePseudoListing(text: string): Map<string, ImageEntry> {
  const entries = new Map<string, ImageEntry>();
  const links: HardLink[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (pending === '' && raw === '') continue;
    const line = pending === '' ? raw : `${pending}\n${raw}`;
    const parsed = parseLine(line);
    if (!parsed) {
      pending = line;
      continue;
    }
    pending = '';
    if ('kind' in parsed) entries.set(parsed.path, parsed);
    else links.push(parsed);
  }
  if (pending !== '') throw new Error(`unsquashfs -pf: cannot read listing line '${pending}'`);
  for (const link of links) {
    const target = entries.get(link.target);
    if (target) entries.set(link.path, { ...target, path: link.path, hardLinkOf: link.target });
  }
  return entries;
}
