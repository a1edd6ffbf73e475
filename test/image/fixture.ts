/**
 * Small real store paths for the image tests, made with the real Nix:
 * `nix-store --add` for plain trees, `builtins.toFile` for files whose text
 * names other store paths (so Nix records the references), and one
 * derivation built by /bin/sh (sandbox is off) whose output holds a unit file
 * next to a file naming a path the unit does not mention. Store paths depend
 * only on content, so making them again in every test run is cheap and stable.
 */
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface Fixture {
  /** A package tree with an executable, a data file and a relative symlink. */
  readonly pkg: string;
  /** Data that `wrapper` names (closure depth 2 from the unit). */
  readonly lib: string;
  /** A script naming `lib`. */
  readonly wrapper: string;
  /** demo.service: names `wrapper`. */
  readonly service: string;
  /** demo.socket: names nothing. */
  readonly socket: string;
  /** A derivation output with `demo-extra.service` naming `wrapper` and `other` naming `unrelated`. */
  readonly multi: string;
  /** Named only by `multi/other`: in the unit's closure, never in the image. */
  readonly unrelated: string;
  /** Put into `contents`. */
  readonly extra: string;
}

/** The tests never download anything; without this nix-build keeps retrying cache.nixos.org. */
const offline = ['--option', 'substituters', ''];

async function add(dir: string): Promise<string> {
  const { stdout } = await execa('nix-store', ['--add', dir]);
  return stdout.trim();
}

async function nixEval(expr: string): Promise<unknown> {
  // --read-write-mode: builtins.toFile must write its file, which plain --eval does not.
  const { stdout } = await execa('nix-instantiate', ['--read-write-mode', '--eval', '--strict', '--json', ...offline, '-E', expr]);
  return JSON.parse(stdout);
}

export async function makeFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'tsportable-image-fixture-'));
  const pkgDir = join(dir, 'demo-pkg');
  await mkdir(join(pkgDir, 'bin'), { recursive: true });
  await mkdir(join(pkgDir, 'share'), { recursive: true });
  await writeFile(join(pkgDir, 'bin', 'hello'), '#!/bin/sh\necho hello from the demo\n');
  await chmod(join(pkgDir, 'bin', 'hello'), 0o755);
  await writeFile(join(pkgDir, 'share', 'data.txt'), 'some data\n');
  await symlink('data.txt', join(pkgDir, 'share', 'link'));
  const libDir = join(dir, 'demo-lib');
  await mkdir(libDir);
  await writeFile(join(libDir, 'lib.txt'), 'library\n');
  const extraDir = join(dir, 'demo-extra');
  await mkdir(extraDir);
  await writeFile(join(extraDir, 'README'), 'extra contents\n');
  const unrelatedDir = join(dir, 'demo-unrelated');
  await mkdir(unrelatedDir);
  await writeFile(join(unrelatedDir, 'x'), 'not in any image\n');
  const [pkg, lib, extra, unrelated] = await Promise.all([add(pkgDir), add(libDir), add(extraDir), add(unrelatedDir)]);
  await rm(dir, { recursive: true, force: true });

  const sp = (p: string) => `(builtins.storePath ${JSON.stringify(p)})`;
  const files = (await nixEval(`
    let wrapper = builtins.toFile "demo-wrapper" "#!/bin/sh\\nexec \${${sp(pkg)}}/bin/hello \${${sp(lib)}}/lib.txt\\n";
    in [ wrapper
         (builtins.toFile "demo.service" "[Service]\\nExecStart=\${wrapper}\\n")
         (builtins.toFile "demo.socket" "[Socket]\\nListenStream=8080\\n") ]`)) as string[];
  const [wrapper, service, socket] = files;
  const { stdout } = await execa('nix-build', ['--no-out-link', ...offline, '-E', `
    derivation {
      name = "demo-multi";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      args = [ "-c" "/bin/mkdir $out && echo 'ExecStart=\${builtins.storePath "${wrapper}"}' > $out/demo-extra.service && echo \${${sp(unrelated)}} > $out/other" ];
    }`]);
  const multi = stdout.trim().split('\n').pop()!;
  return { pkg, lib, wrapper, service, socket, multi, unrelated, extra };
}
