/**
 * `builtins.fromTOML`: TOML 1.0 text to a Nix value (the reader is
 * tomlParse.ts). Errors are reported as Nix words them ("while parsing TOML:
 * ..."); dates and times are an error unless the experimental
 * `parse-toml-timestamps` feature is on (`tomlOptions.timestamps`).
 */
import { NixError } from '../errors.js';
import { forceString } from '../value/force.js';
import { defineBuiltin } from './registry.js';
import { parseToml, TomlError } from './tomlParse.js';

/** Set by the CLI from `--extra-experimental-features parse-toml-timestamps`. */
export const tomlOptions = { timestamps: false };

defineBuiltin({
  name: 'fromTOML',
  arity: 1,
  global: true,
  doc: 'The Nix value of a TOML text.',
  fn: ([s], span) => {
    const text = forceString(s, span, 'while evaluating the argument passed to builtins.fromTOML');
    try {
      return parseToml(text, tomlOptions.timestamps);
    } catch (e) {
      if (e instanceof TomlError) throw new NixError('eval', `while parsing TOML: ${e.message}`, span);
      throw e;
    }
  },
});
