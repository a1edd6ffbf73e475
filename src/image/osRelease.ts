/**
 * The `etc/os-release` text of a portable image, as nixpkgs' portableService
 * writes it: `lib.generators.toKeyValue {}` of six keys with null values left
 * out. toKeyValue walks the attribute set in Nix's order (names sorted by
 * their bytes), writes `KEY=value` without quoting, and ends every line with a
 * newline. systemd reads PORTABLE_ID/PORTABLE_PRETTY_NAME/ID from it.
 */

export interface OsReleaseFields {
  /** Becomes PORTABLE_ID. */
  readonly pname: string;
  /** Becomes PORTABLE_PRETTY_NAME; left out when null. */
  readonly description?: string | null;
  /** Becomes HOME_URL; left out when null. */
  readonly homepage?: string | null;
}

/** Nix sorts attribute names by their bytes; JS's default sort compares UTF-16 units, which differs beyond the BMP. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function osReleaseText(fields: OsReleaseFields): string {
  const params: Record<string, string | null | undefined> = {
    PORTABLE_ID: fields.pname,
    PORTABLE_PRETTY_NAME: fields.description,
    HOME_URL: fields.homepage,
    ID: 'nixos',
    PRETTY_NAME: 'NixOS',
    BUILD_ID: 'rolling',
  };
  return Object.keys(params)
    .sort(compareBytes)
    .flatMap((key) => {
      const value = params[key];
      return value === null || value === undefined ? [] : [`${key}=${value}\n`];
    })
    .join('');
}
