/**
 * Which output an installable's fragment names, in Nix's order, and Nix's
 * message for a miss (every path tried, names close to the missing one).
 */
import { createEvaluator } from '../../src/eval/index.js';
import { NixError } from '../../src/eval/errors.js';
import { installableAttrPaths, selectOutput } from '../../src/flake/index.js';

const ev = createEvaluator({ cwd: '/' });
const outputs = ev.force(ev.evalExpr(`{
  packages.x86_64-linux = { default = "pkgs-default"; web = "pkgs-web"; };
  legacyPackages.x86_64-linux = { web = "legacy-web"; portable.xedn = "nested"; };
  defaultPackage.x86_64-linux = "old-default";
  lib = 1;
  web = "top-web";
  notASet.x86_64-linux = 3;
}`, '/'));

function select(fragment: string) {
  const r = selectOutput(outputs, fragment, 'x86_64-linux', 'path:/f');
  return { attrPath: r.attrPath, value: ev.force(r.value) };
}

test('the attribute paths tried, in order', () => {
  expect(installableAttrPaths('web', 'aarch64-linux')).toEqual(['packages.aarch64-linux.web', 'legacyPackages.aarch64-linux.web', 'web']);
  expect(installableAttrPaths('', 'x86_64-linux')).toEqual(['packages.x86_64-linux.default', 'defaultPackage.x86_64-linux']);
  expect(installableAttrPaths('.web', 'x86_64-linux')).toEqual(['web']);
});

test('the first path that exists wins', () => {
  expect(select('web')).toEqual({ attrPath: 'packages.x86_64-linux.web', value: 'pkgs-web' });
  expect(select('portable.xedn')).toEqual({ attrPath: 'legacyPackages.x86_64-linux.portable.xedn', value: 'nested' });
  expect(select('')).toEqual({ attrPath: 'packages.x86_64-linux.default', value: 'pkgs-default' });
  expect(select('.web')).toEqual({ attrPath: 'web', value: 'top-web' });
  expect(select('lib')).toEqual({ attrPath: 'lib', value: 1 });
});

test('the old defaultPackage when there is no packages.<system>.default', () => {
  const old = ev.force(ev.evalExpr('{ defaultPackage.x86_64-linux = "old"; }', '/'));
  expect(ev.force(selectOutput(old, '', 'x86_64-linux', 'path:/f').value)).toBe('old');
});

test('a miss lists the paths tried and the close names', () => {
  let e: NixError | undefined;
  try {
    select('wbe');
  } catch (x) {
    e = x as NixError;
  }
  expect(e?.message).toBe("flake 'path:/f' does not provide attribute 'packages.x86_64-linux.wbe', 'legacyPackages.x86_64-linux.wbe' or 'wbe'");
  expect(e?.hints).toEqual(['Did you mean web?']);
  // Through something that is not a set: that path is skipped, as Nix skips it.
  expect(() => select('.notASet.x86_64-linux.y')).toThrow("does not provide attribute 'notASet.x86_64-linux.y'");
});
