/**
 * The domain types every builder plugin speaks: what a plugin is, the strings
 * and store objects its spec holds, and what a preview says about an output.
 *
 * What is hard: a spec is made without running Nix, so a store path in it may
 * not be known yet. A string is kept with its context (`NixText`); a foreign
 * value's placeholder inside the text stands for a path only Nix can compute,
 * and its context element (`@<id>`) says so. Such a string becomes a real path
 * only when the bridge resolves it, all of them in one batch.
 */
import type { Span } from '../eval/span.js';
import type { ContextElem, Foreign, Lazy } from '../eval/value/index.js';
import type { ArgumentDoc } from './schema.js';

/** A Nix string: its text and its context (store paths, derivations, unresolved foreign values). */
export interface NixText {
  readonly text: string;
  readonly context: readonly ContextElem[];
}

/** True when the text mentions no foreign value that only Nix can compute. */
export function isResolved(t: NixText): boolean {
  return !t.context.some((c) => c.startsWith('@'));
}

export function plainText(text: string): NixText {
  return { text, context: [] };
}

/** The spec a plugin made, attached to the Foreign value standing for its result. */
export interface BuiltBy {
  readonly plugin: BuilderPlugin<unknown>;
  readonly spec: unknown;
}

/** A Foreign value as the bridge makes it for a builder plugin's call (bridge/foreign.ts `ForeignHandle.builder`). */
export type ForeignWithBuilder = Foreign & { readonly builder?: BuiltBy };

/**
 * Something that is, or becomes, a store object: a derivation (any attribute
 * set with `outPath`), a foreign value, a string holding a store path, or a
 * local path that Nix copies into the store when it is used. `madeAt` is where
 * a derivation or foreign value was written (a set's `name`, the builder call
 * the bridge recorded), the best place for a problem with that one object.
 */
export type StoreObject =
  | { readonly kind: 'derivation'; readonly outPath: NixText; readonly name?: NixText; readonly builtBy?: BuiltBy; readonly describe: string; readonly madeAt?: Span }
  | { readonly kind: 'foreign'; readonly outPath: NixText; readonly name?: NixText; readonly builtBy?: BuiltBy; readonly describe: string; readonly madeAt?: Span }
  | { readonly kind: 'string'; readonly outPath: NixText; readonly describe: string }
  | { readonly kind: 'path'; readonly path: string; readonly describe: string };

/**
 * What a plugin knows about its output without building it. `text` is set only
 * when the whole text is known; store paths that only Nix can compute are
 * written `${expression}` in it (the convention of src/show/plan.ts).
 */
export interface BuilderPreview {
  /** The derivation's name (what `drv.name` gives), e.g. `demo.service`. */
  readonly name: string;
  /** Where the text lands inside the output: `''` for the output itself, `/bin/foo` ... */
  readonly destination?: string;
  /** The text of the file at `destination`, when known. */
  readonly text?: string;
  readonly executable?: boolean;
  /** A file or a directory (a unit must be a file); `unknown` when only the build says (runCommand). */
  readonly output: 'file' | 'directory' | 'unknown';
  /** Things the real build would reject, found while previewing (an unmatched `@var@`, ...). */
  readonly problems: readonly string[];
}

/** A store path in a text that only Nix computes, and the builder plugin call that makes it, if one does. */
export interface PendingPath {
  /** Where its placeholder is in the text, and its length. */
  readonly offset: number;
  readonly length: number;
  readonly builtBy?: BuiltBy;
}

/** What previews need from their surroundings; the bridge provides the real one. */
export interface PreviewEnv {
  /** Writes a text for people: placeholders of foreign values become `${expression}`. */
  renderText(t: NixText): string;
  /** The not yet computed store paths a raw text names (checks look inside the packages plugins model). */
  pendingPaths?(text: string): readonly PendingPath[];
}

/** Renders texts as they are: for specs that hold no foreign values (unit tests, plain data). */
export const plainPreviewEnv: PreviewEnv = { renderText: (t) => t.text };

/**
 * A builder plugin: the native model of one nixpkgs function, registered by its
 * attribute path (src/builders/registry.ts).
 */
export interface BuilderPlugin<Spec> {
  /** `writeText`, `portableService` ... (the attribute of `pkgs`). */
  readonly attrPath: string;
  /** How many curried arguments nixpkgs' function takes (`writeText name text`: 2). */
  readonly arity: number;
  /** For a function of one argument set: its arguments, documented (the editor completes them). */
  readonly arguments?: readonly ArgumentDoc[];
  /** Validates the evaluated arguments; argument errors are NixErrors at the argument's span. */
  toSpec(args: Lazy[], span: Span | undefined): Spec;
  /** What the output holds, as far as it is known without Nix. */
  preview(spec: Spec, env?: PreviewEnv): BuilderPreview;
}
