/**
 * The `etc/os-release` text of a portable image, as nixpkgs' portableService
 * writes it: `lib.generators.toKeyValue {}` of six keys with null values left
 * out. toKeyValue walks the attribute set in Nix's order (names sorted by
 * their bytes), writes `KEY=value` without quoting, and ends every line with a
 * newline. systemd reads PORTABLE_ID/PORTABLE_PRETTY_NAME/ID from it.
 * The text is a Nix string (value/bytes.ts): its bytes, `encodeBytes`, are
 * the file.
 */
import { compareBytes } from '../eval/value/bytes.js';

export interface OsReleaseFields {
  /** Becomes PORTABLE_ID. */
  readonly pname: string;
  /** Becomes PORTABLE_PRETTY_NAME; left out when null. */
  readonly description?: string | null;
  /** Becomes HOME_URL; left out when null. */
  readonly homepage?: string | null;
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
