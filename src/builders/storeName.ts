/**
 * Nix's rule for the name part of a store path, checked when a builder is
 * called so that `show` reports it at the call instead of `build` failing
 * inside Nix. It matters most for systemd template units: `demo@.service`
 * cannot be a store path name, so `pkgs.writeText "demo@.service" ...` fails
 * in Nix (nixpkgs then needs a set `{ name = "demo@.service"; outPath = ...; }`).
 * The rule is Nix 2.8's: 1 to 211 characters from letters, digits and `+-._?=`.
 */
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';

const allowed = /^[A-Za-z0-9+\-._?=]$/;
const maxLength = 211;

/** Throws when `name` cannot name a store path; `builder` and `what` say whose name it is. */
export function checkStoreName(builder: string, name: string, span: Span | undefined, what = 'the name'): void {
  let problem: string | undefined;
  if (name === '') problem = `${what} is empty`;
  else if (name.length > maxLength) problem = `${what} '${name}' is longer than ${maxLength} characters`;
  else {
    const bad = [...name].find((c) => !allowed.test(c));
    if (bad !== undefined) problem = `${what} '${name}' contains '${bad}'`;
  }
  if (problem === undefined) return;
  const e = new NixError('eval', `${builder}: ${problem}, which Nix does not allow in a store path name `
    + '(letters, digits and + - . _ ? = only)', span);
  if (name.includes('@')) {
    e.hints.push(`a systemd template unit can keep its name apart from the store path: { name = "${name}"; outPath = pkgs.writeText "${name.replace(/@/g, '-at-')}" ''...''; }`);
  }
  throw e;
}
