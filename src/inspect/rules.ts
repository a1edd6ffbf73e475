/**
 * systemd's rules for portable services, stated once and used both on a built
 * image (`inspect`) and on a plan before anything is built (`show`).
 *
 * The rule people trip over: portablectl takes the image's prefix from its
 * file name, up to the first `_`, and attaches only units named that prefix
 * followed by `.`, `-` or `@`. nixpkgs names the image `<pname>_<version>.raw`
 * and checks only that unit names start with pname, so a `_` in pname makes
 * an image that builds and never attaches.
 */

export type Severity = 'error' | 'warning' | 'info';

/** One broken rule, in the form both `inspect` findings and `show` warnings take. */
export interface Problem {
  readonly severity: Severity;
  /** Stable identifier, e.g. `unit-prefix`. */
  readonly code: string;
  readonly message: string;
  /** The unit concerned, by file name. */
  readonly unit?: string;
  /** 1-based line in that unit. */
  readonly line?: number;
}

const unitSuffixes = ['.service', '.socket', '.target', '.timer', '.path'] as const;

/** Directories systemd bind-mounts over, which a read-only image must already have. */
export const mountPoints = ['/proc', '/sys', '/dev', '/run', '/tmp', '/var/tmp'] as const;

/** Files systemd bind-mounts over (empty is fine). */
export const mountFiles = ['/etc/resolv.conf', '/etc/machine-id'] as const;

/** Where portablectl looks for units inside an image. */
export const unitDirectories = ['/etc/systemd/system', '/usr/lib/systemd/system'] as const;

/** Where it looks for os-release, in order. */
export const osReleasePaths = ['/etc/os-release', '/usr/lib/os-release'] as const;

/** Where systemd looks for a command given without a directory. */
export const commandSearchPath = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The image's unit prefix: its file name without `.raw`, cut at the first `_`. */
export function imagePrefix(imageFile: string): string {
  const name = baseName(imageFile).replace(/\.raw$/, '');
  const underscore = name.indexOf('_');
  return underscore < 0 ? name : name.slice(0, underscore);
}

export function checkImageFileName(imageFile: string): Problem[] {
  const name = baseName(imageFile);
  if (name.endsWith('.raw')) return [];
  return [{ severity: 'error', code: 'image-name', message: `image file '${name}' does not end in '.raw': portablectl only attaches raw images named '<prefix>_<version>.raw'` }];
}

/** Whether portablectl would attach a unit of this name from an image with this prefix. */
export function unitMatchesPrefix(unit: string, prefix: string): boolean {
  return unit.startsWith(prefix) && '.-@'.includes(unit.charAt(prefix.length)) && unit.length > prefix.length;
}

function hasUnitSuffix(unit: string): boolean {
  return unitSuffixes.some((s) => unit.endsWith(s));
}

/** The name rules for every unit of an image, and that at least one matches. */
export function checkUnitNames(units: readonly string[], imageFile: string): Problem[] {
  const prefix = imagePrefix(imageFile);
  const problems: Problem[] = [];
  const cutNote = baseName(imageFile).replace(/\.raw$/, '') === prefix ? '' : ` (the file name up to its first '_')`;
  let matching = 0;
  for (const unit of units) {
    const suffixOk = hasUnitSuffix(unit);
    const prefixOk = unitMatchesPrefix(unit, prefix);
    if (suffixOk && prefixOk) matching++;
    if (!prefixOk) {
      problems.push({
        severity: 'error', code: 'unit-prefix', unit,
        message: `unit '${unit}' does not match the image's prefix '${prefix}'${cutNote}: portablectl attaches only units named '${prefix}' followed by '.', '-' or '@'`,
      });
    }
    if (!suffixOk) {
      problems.push({
        severity: 'error', code: 'unit-suffix', unit,
        message: `unit '${unit}' is not a ${unitSuffixes.join(', ')} unit: portablectl ignores it`,
      });
    }
  }
  if (matching === 0) {
    problems.push({
      severity: 'error', code: 'no-matching-unit',
      message: `no unit matches the image's prefix '${prefix}': portablectl attach fails with "Couldn't find any matching unit files in image"`,
    });
  }
  return problems;
}

/** The warning for a `_` in pname: the prefix will be cut there. */
export function checkPname(pname: string): Problem[] {
  const underscore = pname.indexOf('_');
  if (underscore < 0) return [];
  const prefix = pname.slice(0, underscore);
  return [{
    severity: 'error', code: 'pname-underscore',
    message: `pname '${pname}' contains '_': portablectl cuts the image name '${pname}_<version>.raw' at the first '_', so its prefix is '${prefix}' and units named '${pname}...' never match`,
  }];
}

/** os-release as `KEY=value` pairs, quotes removed (the format is a shell-like assignment list). */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\(["\\`$])/g, '$1');
    }
    fields.set(m[1]!, value);
  }
  return fields;
}

export function checkOsRelease(text: string | undefined, where = '/etc/os-release'): Problem[] {
  if (text === undefined) {
    return [{ severity: 'error', code: 'no-os-release', message: `no os-release in ${osReleasePaths.join(' or ')}: portablectl refuses an image that "lacks os-release data"` }];
  }
  const id = parseOsRelease(text).get('ID');
  if (id === undefined || id === '') {
    return [{ severity: 'error', code: 'os-release-no-id', message: `${where} has no ID= line: portable services need it to identify the image's OS` }];
  }
  return [];
}
