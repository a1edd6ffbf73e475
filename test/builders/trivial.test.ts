/**
 * Previews of the trivial builders, from real Nix source evaluated natively,
 * and their argument checks. The texts are compared with real builds in
 * trivialNix.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBuilder } from '../../src/builders/registry.js';
import type { BuilderPreview } from '../../src/builders/types.js';
import { at, errorOf, evalWithPkgs, testPreviewEnv, type TestForeign } from './harness.js';

function preview(body: string, dir = '/tmp'): BuilderPreview {
  const v = evalWithPkgs(body, dir) as TestForeign;
  const b = v.builder!;
  return b.plugin.preview(b.spec, testPreviewEnv);
}

const dir = mkdtempSync(join(tmpdir(), 'h8-trivial-'));
writeFileSync(join(dir, 'a.txt'), 'first\n');
writeFileSync(join(dir, 'b.txt'), 'second\n');
writeFileSync(join(dir, 'tmpl.service'), '[Service]\nExecStart=@bin@/bin/run @greeting@\nUser=@user@\n');

describe('text writers', () => {
  test('writeText', () => {
    expect(preview('pkgs.writeText "demo.service" "[Service]\\nExecStart=${pkgs.hello}/bin/hello\\n"')).toEqual({
      name: 'demo.service', destination: '', text: '[Service]\nExecStart=${pkgs.hello}/bin/hello\n',
      executable: false, output: 'file', problems: [],
    });
  });

  test('writeText accepts what toString converts (deprecated in nixpkgs)', () => {
    expect(preview('pkgs.writeText "n" 42').text).toBe('42');
  });

  test('writeTextFile with destination and executable', () => {
    const p = preview('pkgs.writeTextFile { name = "tool"; text = "x"; executable = true; destination = "/bin/tool"; }');
    expect(p).toMatchObject({ name: 'tool', destination: '/bin/tool', text: 'x', executable: true, output: 'directory' });
  });

  test('writeTextFile: destination must be absolute (nixpkgs assertion) at its span', () => {
    const e = errorOf('\npkgs.writeTextFile {\n  name = "t";\n  text = "x";\n  destination = "bin/t";\n}');
    expect(e.message).toMatch(/^writeTextFile: destination must be an absolute path, relative to the derivation's out path, got 'bin\/t' instead\./);
    expect(at(e)).toBe('5:3');
  });

  test('writeTextFile: unknown and missing arguments', () => {
    expect(errorOf('pkgs.writeTextFile { name = "t"; txt = "x"; }').message).toBe("writeTextFile: called without required argument 'text'");
    const e = errorOf('\npkgs.writeTextFile {\n  name = "t";\n  text = "x";\n  exectuable = true;\n}');
    expect(e.message).toBe("writeTextFile: called with unexpected argument 'exectuable'");
    expect(at(e)).toBe('5:3');
    expect(e.hints).toEqual(['Did you mean executable?']);
  });

  test('writeTextDir names the derivation after the file', () => {
    expect(preview('pkgs.writeTextDir "share/doc/readme.txt" "hi"')).toMatchObject({
      name: 'readme.txt', destination: '/share/doc/readme.txt', text: 'hi', output: 'directory',
    });
  });

  test('writeScript and writeScriptBin', () => {
    expect(preview('pkgs.writeScript "s" "#!/bin/sh\\necho"')).toMatchObject({ name: 's', destination: '', text: '#!/bin/sh\necho', executable: true, output: 'file' });
    expect(preview('pkgs.writeScriptBin "s" "x"')).toMatchObject({ name: 's', destination: '/bin/s', executable: true, output: 'directory' });
  });

  test("writeShellScript(Bin): nixpkgs' shebang line and trailing newline", () => {
    expect(preview('pkgs.writeShellScript "greet" "echo hi"').text).toBe('#!${pkgs.runtimeShell}\necho hi\n');
    expect(preview("pkgs.writeShellScriptBin \"greet\" ''\n  echo hi\n''")).toMatchObject({
      name: 'greet', destination: '/bin/greet', text: '#!${pkgs.runtimeShell}\necho hi\n\n', executable: true,
    });
  });

  test('positional arguments are type-checked at the call', () => {
    const e = errorOf('\n  pkgs.writeText 1 "x"');
    expect(e.message).toBe("writeText: argument 'name' must be a string, but found an integer");
    expect(at(e)).toBe('2:3');
    expect(errorOf('pkgs.writeShellScriptBin "x" { }').message).toBe("writeShellScriptBin: argument 'text' must be a string, but found a set");
  });
});

describe('concatText and concatTextFile', () => {
  test('local files and other plugins\' texts are concatenated', () => {
    expect(preview('pkgs.concatText "all.txt" [ ./a.txt ./b.txt (pkgs.writeText "c" "third") ]', dir)).toMatchObject({
      name: 'all.txt', text: 'first\nsecond\nthird', output: 'file',
    });
  });

  test('a file only Nix can build leaves the text unknown', () => {
    const p = preview('pkgs.concatText "x" [ ./a.txt "${pkgs.hello}/share/x" ]', dir);
    expect(p.name).toBe('x');
    expect(p.text).toBeUndefined();
  });

  test('concatTextFile with destination', () => {
    expect(preview('pkgs.concatTextFile { name = "x"; files = [ ./a.txt ]; destination = "/etc/x"; executable = true; }', dir))
      .toMatchObject({ name: 'x', destination: '/etc/x', text: 'first\n', executable: true, output: 'directory' });
  });

  test('files must be a list', () => {
    expect(errorOf('pkgs.concatText "x" ./a.txt', dir).message)
      .toBe("concatText: argument 'files' must be a list of paths, strings or derivations, but found a path");
  });
});

describe('replaceVars', () => {
  test('substitutes known values, keeps nulls, names the output after the file', () => {
    const p = preview('pkgs.replaceVars ./tmpl.service { bin = pkgs.hello; greeting = "hi"; user = null; }', dir);
    expect(p).toEqual({
      name: 'tmpl.service', output: 'file', problems: [],
      text: '[Service]\nExecStart=${pkgs.hello}/bin/run hi\nUser=@user@\n',
    });
  });

  test('problems the build would fail on: a missing pattern, a leftover identifier', () => {
    const p = preview('pkgs.replaceVars ./tmpl.service { bin = "/b"; greeting = "hi"; nothere = "x"; }', dir);
    expect(p.problems).toEqual([
      `replaceVars: @nothere@ does not occur in ${dir}/tmpl.service; the build fails (--replace-fail)`,
      `replaceVars: @user@ is still in ${dir}/tmpl.service after substitution; nixpkgs' check fails the build`,
    ]);
  });

  test('replacement values must convert to strings', () => {
    const e = errorOf('\npkgs.replaceVars ./tmpl.service {\n  bin = { };\n}', dir);
    expect(e.message).toBe("replaceVars: attribute 'bin' of argument 'replacements' must be a value convertible to a string or null, but found a set");
    expect(at(e)).toBe('3:3');
  });

  test('the text of another plugin as src', () => {
    const p = preview('pkgs.replaceVars (pkgs.writeText "u.service" "A=@a@") { a = "1"; }');
    expect(p.text).toBe('A=1');
    expect(p.name).toBe('${hash}-u.service');
  });
});

describe('substituteAll', () => {
  test('every lowercase argument substitutes; name is known', () => {
    writeFileSync(join(dir, 'sa.conf'), 'greeting=@greeting@ flag=@flag@ name=@name@ Up=@Upper@ out=@out@ n=@n@ l=@list@\n');
    const p = preview('pkgs.substituteAll { src = ./sa.conf; greeting = "hello"; flag = true; Upper = "no"; n = 3; list = [ "a" "b" ]; }', dir);
    expect(p).toMatchObject({ name: 'sa.conf', output: 'file', executable: false });
    expect(p.text).toBe('greeting=hello flag=1 name=sa.conf Up=@Upper@ out=@out@ n=3 l=a b\n');
  });

  test('dir and isExecutable place the result as substitute-all.sh does', () => {
    const p = preview('pkgs.substituteAll { src = ./sa.conf; name = "tool"; dir = "bin"; isExecutable = true; greeting = "x"; }', dir);
    expect(p).toMatchObject({ name: 'tool', destination: '/bin/tool', executable: true, output: 'directory' });
  });

  test('src is required; other arguments must convert to strings, error at their span', () => {
    expect(errorOf('pkgs.substituteAll { greeting = "x"; }').message).toBe("substituteAll: called without required argument 'src'");
    const e = errorOf('\npkgs.substituteAll {\n  src = ./sa.conf;\n  bad = { };\n}', dir);
    expect(e.message).toBe("substituteAll: argument 'bad' must be a value convertible to a string, but found a set");
    expect(at(e)).toBe('4:3');
  });
});

describe('runCommand and symlinkJoin', () => {
  test('runCommand knows its name only', () => {
    expect(preview('pkgs.runCommand "thing" { } "mkdir $out"')).toEqual({ name: 'thing', output: 'unknown', problems: [] });
    expect(errorOf('pkgs.runCommand "thing" "env" "x"').message).toBe("runCommand: argument 'env' must be a set, but found a string");
  });

  test('symlinkJoin: name, or pname and version; nested lists and nulls in paths', () => {
    expect(preview('pkgs.symlinkJoin { name = "env"; paths = [ pkgs.hello [ pkgs.bash null ] ]; }')).toEqual({ name: 'env', output: 'directory', problems: [] });
    expect(preview('pkgs.symlinkJoin { pname = "env"; version = "2"; paths = [ ]; }').name).toBe('env-2');
    expect(errorOf('pkgs.symlinkJoin { paths = [ ]; }').message).toBe('symlinkJoin requires either a `name` OR `pname` and `version`');
    const v = evalWithPkgs('pkgs.symlinkJoin { name = "e"; paths = [ pkgs.hello [ pkgs.bash null ] ]; anything = 1; }') as TestForeign;
    expect((v.builder!.spec as { paths: unknown[] }).paths).toHaveLength(2);
  });

  test('symlinkJoin: stripPrefix must start with /', () => {
    const e = errorOf('\npkgs.symlinkJoin {\n  name = "e";\n  paths = [ ];\n  stripPrefix = "lib";\n}');
    expect(e.message).toMatch(/^symlinkJoin: stripPrefix must be either an empty string/);
    expect(at(e)).toBe('5:3');
  });
});

describe('store path names, checked as Nix 2.8 checks them', () => {
  test("a systemd template unit's '@' cannot be in a store path name", () => {
    const e = errorOf('\n  pkgs.writeText "demo@.service" "[Service]"');
    expect(e.message).toBe("writeText: the name 'demo@.service' contains '@', which Nix does not allow in a store path name "
      + '(letters, digits and + - . _ ? = only)');
    expect(at(e)).toBe('2:3');
    expect(e.hints).toEqual(['a systemd template unit can keep its name apart from the store path: '
      + '{ name = "demo@.service"; outPath = pkgs.writeText "demo-at-.service" \'\'...\'\'; }']);
  });

  test('the same rule for every builder that names a derivation, at the name\'s span', () => {
    expect(errorOf('pkgs.writeShellScriptBin "my tool" "x"').message).toMatch(/^writeShellScriptBin: the name 'my tool' contains ' '/);
    expect(errorOf('pkgs.concatText "" [ ]').message).toMatch(/^concatText: the name is empty/);
    const e = errorOf('\npkgs.writeTextFile {\n  text = "";\n  name = "a/b";\n}');
    expect(e.message).toMatch(/^writeTextFile: the name 'a\/b' contains '\/'/);
    expect(at(e)).toBe('4:3');
    expect(errorOf(`pkgs.runCommand "${'x'.repeat(212)}" { } ""`).message).toMatch(/is longer than 211 characters/);
    writeFileSync(join(dir, 'at@.service'), 'x');
    expect(errorOf('pkgs.replaceVars (./. + "/at@.service") { }', dir).message).toMatch(/^replaceVars: the file name 'at@\.service' contains '@'/);
    expect(preview('pkgs.writeText "a+b-c_d.e?f=g" ""').name).toBe('a+b-c_d.e?f=g');
  });
});

test('every trivial builder of the issue is registered with its nixpkgs arity', () => {
  const arities = Object.fromEntries(['writeText', 'writeTextFile', 'writeTextDir', 'writeScript', 'writeScriptBin', 'writeShellScript',
    'writeShellScriptBin', 'concatText', 'concatTextFile', 'replaceVars', 'substituteAll', 'runCommand', 'symlinkJoin', 'portableService']
    .map((n) => [n, getBuilder(n)?.arity]));
  expect(arities).toEqual({
    writeText: 2, writeTextFile: 1, writeTextDir: 2, writeScript: 2, writeScriptBin: 2, writeShellScript: 2, writeShellScriptBin: 2,
    concatText: 2, concatTextFile: 1, replaceVars: 2, substituteAll: 1, runCommand: 3, symlinkJoin: 1, portableService: 1,
  });
  expect(getBuilder('hello')).toBeUndefined();
});
