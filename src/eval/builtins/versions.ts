/**
 * Version builtins: compareVersions, splitVersion, parseDrvName. The ordering
 * rules live in versionOrder.ts.
 */
import { NixAttrs, NixList, type Lazy } from '../value/index.js';
import { forceString } from '../value/force.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';
import { compareVersionStrings, splitDrvName, versionComponents } from './versionOrder.js';

defineBuiltin({
  name: 'compareVersions',
  arity: 2,
  doc: 'Compares two version strings: -1, 0 or 1.',
  fn: ([a, b], span) =>
    compareVersionStrings(forceString(a, span, argCtx('compareVersions', 0)), forceString(b, span, argCtx('compareVersions', 1))),
});

defineBuiltin({
  name: 'splitVersion',
  arity: 1,
  doc: 'The components of a version string, as compareVersions sees them.',
  fn: ([v], span) => new NixList(versionComponents(forceString(v, span, argCtx('splitVersion', 0)))),
});

defineBuiltin({
  name: 'parseDrvName',
  arity: 1,
  doc: 'Splits a package name like "nix-0.12pre12876" into { name = "nix"; version = "0.12pre12876"; }.',
  fn: ([s], span) => {
    const { name, version } = splitDrvName(forceString(s, span, argCtx('parseDrvName', 0)));
    return new NixAttrs(new Map<string, Lazy>([['name', name], ['version', version]]));
  },
});
