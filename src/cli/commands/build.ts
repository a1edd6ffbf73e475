/**
 * `tsportable build`: the image nix-build would give for a portableService
 * file. Evaluation, then realisation of the units, symlink objects and
 * contents through real Nix (one batch), then the image (src/image), moved
 * into place atomically and linked as `result`, then checked as `inspect`
 * checks an image (buildChecks.ts). stdout carries only the result path (or
 * the --json object); progress goes to stderr on a terminal, warnings always.
 */
import { resolve } from 'node:path';
import { realisePortableService } from '../../builders/index.js';
import { buildImage, type BuildResult } from '../../image/index.js';
import { checkBuiltImage } from '../buildChecks.js';
import { interrupt, io, stderrIsTerminal, type Command } from '../command.js';
import { evalInputOptions, jsonOption, readEvalInput } from '../evalInput.js';
import { optFlag, optString, usageError } from '../options.js';
import { openSession, selectImages } from '../session.js';

export const buildCommand: Command = {
  spec: {
    name: 'build',
    summary: 'Build the portable-service image of a Nix file, as nix-build does with nixpkgs.',
    positional: '[FILE | FLAKE#ATTR]',
    maxPositional: 1,
    description: [
      'FILE defaults to ./default.nix and is evaluated like nix-build: a top-level function is called',
      'with its defaults (and --arg/--argstr); -A picks an image from a set of several. The result is',
      'a symlink `result` to a directory holding <pname>_<version>.raw; its path is printed on stdout.',
      'Without <nixpkgs> on the search path, tsportable\'s own package set stands in (a notice says so).',
      'A flake installable (.#attr, DIR#attr, path:DIR#attr, a directory holding flake.nix) is built as',
      'nix build builds it; a callPackage-style file is called as pkgs.callPackage FILE { }.',
      'The built image is checked as `inspect` checks an image (can its programs start inside it?), together',
      'with `show`\'s checks; what they find is printed on stderr as warnings, and the exit code stays 0.',
      'Exit codes: 0 built, 1 evaluation or usage error, 100 a failed build.',
    ].join('\n'),
    options: [
      { long: '--expr', short: '-E', values: ['EXPR'], description: 'Build the image EXPR evaluates to instead of a file.' },
      ...evalInputOptions,
      { long: '--out-link', short: '-o', values: ['LINK'], description: "Name of the result link (default 'result'); more images get LINK-2, LINK-3..." },
      { long: '--no-out-link', description: 'Do not create a result link; only print the path.' },
      { ...jsonOption, description: 'Print one JSON object per image built (image, resultDir, outLink, cached, closure, warnings, ...).' },
    ],
  },
  async run(args) {
    const input = readEvalInput(args, { defaultFile: true });
    const json = optFlag(args, 'json');
    const noLink = optFlag(args, 'no-out-link');
    const link = optString(args, 'out-link');
    if (noLink && link !== undefined) throw usageError("'--out-link' and '--no-out-link' exclude each other");
    const tty = stderrIsTerminal() && !json;
    const session = openSession(input, { progress: tty });
    const images = selectImages(session, input);
    for (const [k, image] of images.entries()) {
      const outLink = noLink ? null : resolve(input.cwd, (link ?? 'result') + (k === 0 ? '' : `-${k + 1}`));
      if (tty) io.stderr(`realising the inputs of ${image.spec.pname}_${image.spec.version}.raw...\n`);
      const imageInput = await realisePortableService(image.spec, session.bridge);
      const result = await buildImage(imageInput, {
        outLink,
        signal: interrupt.signal,
        handleSignals: false,
        onProgress: tty ? (p) => io.stderr(`${p.message}\n`) : undefined,
      });
      const checks = await checkBuiltImage(image.spec, session.bridge, result.imagePath);
      io.stderr(checks.text);
      io.stdout(json ? `${JSON.stringify({ ...buildToJSON(image.attrPath, result), warnings: checks.warnings })}\n` : `${result.resultDir}\n`);
    }
    return 0;
  },
};

/** `build --json`: one object per image built, each on its own line. */
function buildToJSON(attrPath: string, result: BuildResult) {
  return {
    attrPath,
    image: result.imagePath,
    resultDir: result.resultDir,
    outLink: result.outLink,
    cached: result.cached,
    closure: result.closure,
    references: result.references,
    key: result.key,
  };
}
