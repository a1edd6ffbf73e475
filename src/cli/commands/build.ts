/**
 * `tsportable build`: the image nix-build would give for a portableService
 * file. Evaluation, then realisation of the units, symlink objects and
 * contents through real Nix (one batch), then the image (src/image), moved
 * into place atomically and linked as `result`, then checked as `inspect`
 * checks an image (buildChecks.ts). stdout carries only the result path (or
 * the --json object); the steps and the checks' warnings go to stderr.
 */
import { resolve } from 'node:path';
import { realisePortableService } from '../../builders/index.js';
import { buildImage, type BuildResult } from '../../image/index.js';
import { checkBuiltImage } from '../buildChecks.js';
import { recordRebuild, type BuiltImage } from '../rebuildRecord.js';
import { interrupt, io, type Command } from '../command.js';
import { isTerminal } from '../../stdio.js';
import { evalInputOptions, jsonErrorsNote, jsonOption, readEvalInput } from '../evalInput.js';
import { optFlag, optString, usageError } from '../options.js';
import { Progress } from '../progress.js';
import { showRealPaths, type RealPathsShown } from '../realPaths.js';
import { openSession, selectImages, type SelectedImage, type Session } from '../session.js';
import { applyNixOptions, buildFlagOptions, optionOption } from '../nixOptions.js';

export const buildCommand: Command = {
  spec: {
    name: 'build',
    jsonErrors: true,
    summary: 'Build the portable-service image of a Nix file, as nix-build does with nixpkgs.',
    positional: '[FILE | FLAKE#ATTR]',
    maxPositional: 1,
    description: [
      'FILE defaults to ./default.nix and is evaluated like nix-build: a top-level function is called',
      'with its defaults (and --arg/--argstr); -A picks an image from a set of several. The result is',
      'a symlink `result` to a directory holding <pname>_<version>.raw; its path is printed on stdout.',
      'The steps and Nix\'s build output go to stderr as lines; on a terminal a status line below them',
      'shows the builds and fetches under way and mksquashfs\'s percentage. Ctrl-C stops Nix and mksquashfs',
      'and removes what the build had begun (exit 130).',
      'When no search path entry names nixpkgs, tsportable\'s own package set stands in (a notice says so).',
      'A flake installable (.#attr, DIR#attr, path:DIR#attr, a directory holding flake.nix) is built as',
      'nix build builds it; a callPackage-style file is called as pkgs.callPackage FILE { }.',
      'The build flags (-j, --cores, --builders, -k, -K, -v, --quiet) and every --option Nix knows reach',
      'the Nix processes, so remote builders and binary caches serve tsportable as they serve nix-build.',
      'The built image is checked as `inspect` checks an image (can its programs start inside it?), together',
      'with `show`\'s checks; what they find is printed on stderr as warnings, and the exit code stays 0.',
      'A build records what it read; run again with nothing of that changed (files, arguments, environment,',
      'the validity of the image\'s store paths), it links the cached image without evaluating or starting Nix.',
      'Exit codes: 0 built, 1 evaluation or usage error, 100 a failed build, 104 --check found a difference,',
      '2 internal error, 130 interrupted.',
    ].join('\n'),
    options: [
      { long: '--expr', short: '-E', values: ['EXPR'], description: 'Build the image EXPR evaluates to instead of a file.' },
      ...evalInputOptions,
      { long: '--out-link', short: '-o', values: ['LINK'], description: "Name of the result link (default 'result'); more images get LINK-2, LINK-3..." },
      { long: '--no-out-link', description: 'Do not create a result link; only print the path.' },
      { long: '--dry-run', description: 'Say what Nix would build or fetch and the image that would be made; build nothing.' },
      { long: '--check', description: 'Build the image again, bypassing the cache, and fail if its bytes differ from the cached one.' },
      ...buildFlagOptions,
      optionOption,
      { ...jsonOption, description: `Print one JSON object per image built (image, resultDir, outLink, cached, closure, warnings, ...). ${jsonErrorsNote}` },
    ],
  },
  async run(args) {
    const input = readEvalInput(args, { defaultFile: true });
    const json = optFlag(args, 'json');
    const noLink = optFlag(args, 'no-out-link');
    const link = optString(args, 'out-link');
    if (noLink && link !== undefined) throw usageError("'--out-link' and '--no-out-link' exclude each other");
    const dryRun = optFlag(args, 'dry-run');
    if (dryRun && optFlag(args, 'check')) throw usageError("'--dry-run' and '--check' exclude each other");
    const nix = applyNixOptions(args);
    const progress = new Progress(io.stderr, isTerminal('stderr'));
    // What this build reads is recorded: a rebuild with all of it unchanged is answered without building (src/cli/rebuild.ts).
    const recorder = dryRun ? undefined : recordRebuild(args, input);
    const built: BuiltImage[] = [];
    // Errors, traces and warnings name derivations by their real paths, as nix-build's do (and the record keeps them so).
    let realPaths: RealPathsShown | undefined;
    try {
      const evaluated = recorder?.keepEvaluationOutput();
      let session: Session;
      let images: SelectedImage[];
      try {
        session = openSession(input, { progress: true, output: progress, signal: interrupt.signal, nix });
        realPaths = showRealPaths(session.bridge);
        images = selectImages(session, input);
      } finally {
        // Undone in the order done; real paths go on through realisation.
        realPaths?.end();
        evaluated?.();
      }
      realPaths = showRealPaths(session.bridge);
      for (const [k, image] of images.entries()) {
        const outLink = noLink ? null : resolve(input.cwd, (link ?? 'result') + (k === 0 ? '' : `-${k + 1}`));
        const fileName = `${image.spec.pname}_${image.spec.version}.raw`;
        if (dryRun) {
          // Nix says what it would build or fetch (nix-store --realise --dry-run); nothing on stdout, as nix-build.
          await realisePortableService(image.spec, { realiseStrings: (s, span) => session.bridge.realiseStrings(s, span, { dryRun: true }) });
          progress.line(`this image would be made (or reused from tsportable's cache):\n  ${fileName}`);
          continue;
        }
        progress.step(`realising the inputs of ${fileName}`);
        const imageInput = await realisePortableService(image.spec, session.bridge);
        // Making the image reads what is not an input (the cache, the result link): not watched.
        const resume = recorder?.suspend();
        const result = await buildImage(imageInput, {
          outLink, signal: interrupt.signal, handleSignals: false, check: optFlag(args, 'check'), onProgress: progress.build,
        });
        resume?.();
        const checks = await checkBuiltImage(image.spec, session.bridge, result.imagePath);
        for (const line of checks.lines) progress.line(line);
        const said = (r: BuildResult) => (json ? `${JSON.stringify({ ...buildToJSON(image.attrPath, r), warnings: checks.warnings })}\n` : `${r.resultDir}\n`);
        io.stdout(said(result));
        // What a rebuild answered from the record prints: the image is in the cache then.
        const stderr = checks.lines.map((l) => `${l}\n`).join('');
        built.push({ key: result.key, fileName, outLink: result.outLink, stderr, stdout: said({ ...result, cached: true }), closure: result.closure });
      }
      recorder?.save(built, session.bridge.runner.counts['nix-instantiate'] > 0);
    } catch (e) {
      throw realPaths ? realPaths.inError(e) : e;
    } finally {
      realPaths?.end();
      recorder?.stop();
      progress.end();
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
