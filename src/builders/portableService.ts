/**
 * `pkgs.portableService { pname, version, units, ... }`, modelled natively with
 * nixpkgs' arguments (pkgs/build-support/portable-service/default.nix): the
 * call is read into a `PortableServiceSpec`, checked at the arguments' spans,
 * previewed as a `ShowPlan` (portableService/plan.ts) and realised into the
 * image builder's input (portableService/realise.ts). Nix's own
 * portableService is never evaluated.
 *
 * nixpkgs reads `u.name` of every unit and copies `${u}` to
 * etc/systemd/system/<name>: so a unit is any set with `name` and `outPath`,
 * and a bare path (which has no name) fails there. Here it fails with a
 * message that says why and what to write instead.
 */
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { NixPath, NixString } from '../eval/value/index.js';
import { alias, argumentDocs, documented, optional, readArgSet, required, t, type ArgType } from './schema.js';
import type { BuilderPlugin, BuilderPreview, NixText } from './types.js';
import { isResolved, plainText } from './types.js';
import { baseNameOf } from './knownText.js';
import { checkStoreName } from './storeName.js';
import type { PortableServiceSpec, PortableUnit } from './portableService/spec.js';
import { checkInput, provisionalInput } from './portableService/checks.js';

/** A unit: a derivation or any set with `name` and `outPath`. */
const unit: ArgType<PortableUnit> = {
  expected: 'a derivation (a set with \'name\' and \'outPath\')',
  read(v, place) {
    const x = place.force(v);
    if (x instanceof NixPath || typeof x === 'string' || x instanceof NixString) {
      const what = x instanceof NixPath ? `the path ${x.path}` : 'a string';
      const e = place.error(`${place.label} is ${what}, but a unit must be a derivation or a set with 'name' and 'outPath': `
        + 'nixpkgs installs each unit as etc/systemd/system/<unit.name>, and fails on a value without a name');
      const file = x instanceof NixPath ? baseNameOf(x.path) : 'demo.service';
      // A template unit's '@' cannot be in a store path name: its name goes beside the store path.
      e.hints.push(file.includes('@')
        ? `give the unit as a set, e.g. { name = "${file}"; outPath = pkgs.concatText "${file.replace(/@/g, '-at-')}" [ (./. + "/${file}") ]; }`
        : `wrap the file in a derivation, e.g. (pkgs.concatText "${file}" [ ./${file} ])`);
      throw e;
    }
    const object = t.derivation({ needName: true }).read(x, place);
    // needName: derivations and foreign values always carry a name here.
    const name = object.kind === 'derivation' || object.kind === 'foreign' ? object.name : undefined;
    return { object, name: name ?? plainText('') };
  },
};

const symlink = t.shape('a set with \'object\' and \'symlink\'', {
  object: required(t.pathLike),
  symlink: required(t.string),
});

const args = {
  pname: documented(required(t.string),
    "The image's name: the image is `<pname>_<version>.raw`, and every unit's name must start with it. "
    + "portablectl takes the prefix up to the first `_` of the file name, so a `_` in pname makes units that never attach."),
  version: documented(required(t.string), "The image's version: the part of the file name after `_`."),
  units: documented(required(t.listOf(unit, 'derivations')),
    'The systemd units, each installed as `/etc/systemd/system/<unit.name>`: derivations such as '
    + '`pkgs.writeText "demo.service" ...`, or sets with `name` and `outPath`. Their store paths and what they refer to go into the image.'),
  description: documented(optional(t.nullable(t.string), null), "`PORTABLE_PRETTY_NAME` in the image's os-release."),
  homepage: documented(optional(t.nullable(t.string), null), "`HOME_URL` in the image's os-release."),
  symlinks: documented(optional(t.listOf(symlink, 'sets with \'object\' and \'symlink\''), []),
    'Symlinks to make in the image: `{ object = pkgs.cacert; symlink = "/etc/ssl"; }` links `/etc/ssl` to the store path of `object`, which goes into the image.'),
  contents: documented(optional(t.listOf(t.pathLike, 'derivations or store paths'), []),
    'More store paths (derivations, paths) to put into the image, with everything they refer to.'),
  // nixpkgs renamed squashfsTools to squashfs-tools; files use both.
  'squashfs-tools': documented(alias(optional(t.nullable(t.derivation()), null), 'squashfsTools'),
    "The squashfs-tools package whose mksquashfs builds the image (default: the package set's)."),
  'squash-compression': documented(optional(t.string, plainText('xz -Xdict-size 100%')),
    "mksquashfs's compression: the algorithm, then its options, e.g. `\"zstd -Xcompression-level 19\"`."),
  'squash-block-size': documented(optional(t.string, plainText('1M')), "mksquashfs's block size (`-b`), e.g. `\"1M\"`."),
};

/** A string the image needs as plain text (a path inside the image, an option word). */
function known(text: NixText, what: string, span: Span | undefined): string {
  if (isResolved(text)) return text.text;
  throw new NixError('eval', `portableService: ${what} must be known without building anything, but it refers to a package`, span);
}

export const portableService: BuilderPlugin<PortableServiceSpec> = {
  attrPath: 'portableService',
  arity: 1,
  arguments: argumentDocs(args),
  toSpec([arg], span) {
    const { values: v, spans } = readArgSet('portableService', args, arg, span);
    const tools = v['squashfs-tools'];
    const spec: PortableServiceSpec = {
      pname: known(v.pname, 'pname', spans.pname),
      version: known(v.version, 'version', spans.version),
      description: v.description ?? null,
      homepage: v.homepage ?? null,
      units: v.units,
      symlinks: v.symlinks.map((l) => ({
        symlink: known(l.values.symlink, 'a symlink path', l.spans.symlink ?? spans.symlinks),
        object: l.values.object,
        symlinkSpan: l.spans.symlink,
        objectSpan: l.spans.object,
      })),
      contents: v.contents,
      mksquashfs: tools ? { kind: 'package', object: tools } : { kind: 'default' },
      compression: known(v['squash-compression'], 'squash-compression', spans['squash-compression']),
      blockSize: known(v['squash-block-size'], 'squash-block-size', spans['squash-block-size']),
      spans: {
        call: span,
        pname: spans.pname,
        version: spans.version,
        units: spans.units,
        symlinks: spans.symlinks,
        contents: spans.contents,
        compression: spans['squash-compression'],
        blockSize: spans['squash-block-size'],
        mksquashfs: spans['squashfs-tools'],
      },
    };
    // nixpkgs makes the derivation `${pname}-img-${version}`; both parts end up in store path names.
    checkStoreName('portableService', spec.pname, spans.pname ?? span, 'pname');
    checkStoreName('portableService', spec.version, spans.version ?? span, 'version');
    checkInput(spec, provisionalInput(spec), spec.units.map((u) => isResolved(u.name)));
    return spec;
  },
  preview(spec): BuilderPreview {
    // nixpkgs' result is the directory `${pname}-img-${version}` holding the image.
    return { name: `${spec.pname}-img-${spec.version}`, destination: `/${spec.pname}_${spec.version}.raw`, output: 'directory', problems: [] };
  },
};
