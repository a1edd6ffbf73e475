/**
 * The spec shared by nixpkgs' text writers: writeTextFile and its shorthands
 * (writeText, writeTextDir, writeScript, writeScriptBin, writeShellScript,
 * writeShellScriptBin) all end in one `writeTextFile` call, so they share one
 * spec and one preview. Only the way each fills the spec differs.
 */
import type { Span } from '../../eval/span.js';
import { NixError } from '../../eval/errors.js';
import type { BuilderPreview, NixText, PreviewEnv } from '../types.js';
import { plainPreviewEnv } from '../types.js';

export interface TextFileSpec {
  /** The derivation's name. */
  readonly name: string;
  readonly text: NixText;
  /**
   * writeShellScript(Bin) put `#!${runtimeShell}` and a newline before the
   * text and a newline after it; runtimeShell is a store path of the package
   * set, only known to Nix.
   */
  readonly shellScript: boolean;
  readonly executable: boolean;
  /** `''` for the output itself, else an absolute path inside the output (`/bin/foo`). */
  readonly destination: string;
}

/** How a preview writes the package set's shell, which only Nix knows. */
export const runtimeShellPreview = '${pkgs.runtimeShell}';

/** writeTextFile's assertion on `destination`, with nixpkgs' wording, at the argument's span. */
export function checkDestination(builder: string, destination: string, span: Span | undefined): void {
  if (destination === '' || (destination.startsWith('/') && destination !== '/')) return;
  throw new NixError('assert',
    `${builder}: destination must be an absolute path, relative to the derivation's out path, got '${destination}' instead.\n\n`
    + 'Ensure that the path starts with a / and specifies at least the filename.', span);
}

export function previewTextFile(spec: TextFileSpec, env: PreviewEnv = plainPreviewEnv): BuilderPreview {
  const body = env.renderText(spec.text);
  return {
    name: spec.name,
    destination: spec.destination,
    text: spec.shellScript ? `#!${runtimeShellPreview}\n${body}\n` : body,
    executable: spec.executable,
    output: spec.destination ? 'directory' : 'file',
    problems: [],
  };
}
