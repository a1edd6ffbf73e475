/**
 * `tsportable show`: the plan of the image without building it: file name,
 * os-release, units (with their text where a builder plugin knows it), symlinks,
 * contents, mksquashfs options and the warnings of the checks that can run
 * before a build. Runs no Nix process unless --closure asks for the closure.
 */
import { planPortableService } from '../../builders/index.js';
import { imageClosure } from '../../image/imageClosure.js';
import { realisePortableService } from '../../builders/index.js';
import { refuseImageAsNix } from '../../inspect/imageFile.js';
import { closureSizes } from '../../show/closureSizes.js';
import { renderShow, showPlanToJSON, withChecks, type ClosureEntry } from '../../show/index.js';
import { colorFor } from '../color.js';
import { io, type Command } from '../command.js';
import { isTerminal } from '../../stdio.js';
import { evalInputOptions, jsonErrorsNote, jsonOption, readEvalInput } from '../evalInput.js';
import { optFlag } from '../options.js';
import { openSession, selectImages } from '../session.js';
import { showRealPaths } from '../realPaths.js';
import { applyNixOptions, optionOption } from '../nixOptions.js';

export const showCommand: Command = {
  spec: {
    name: 'show',
    jsonErrors: true,
    summary: 'Preview the image a Nix file describes, without building it.',
    positional: '[FILE | FLAKE#ATTR]',
    maxPositional: 1,
    description: [
      'Prints the image file name, the os-release text, each unit (its text when tsportable knows it,',
      'otherwise what builds it), the symlinks, contents, mksquashfs options and warnings with their',
      'file:line:column. No Nix process runs unless --closure is given (a flake\'s sources not yet in',
      'the store are copied first, in one process). The --json form is described by',
      'docs/show.schema.json. FILE may be a flake installable (.#attr, DIR#attr, path:DIR#attr).',
    ].join('\n'),
    options: [
      { long: '--expr', short: '-E', values: ['EXPR'], description: 'Show the image EXPR evaluates to instead of a file.' },
      ...evalInputOptions,
      { long: '--closure', description: 'Realise the inputs through Nix and list the closure with sizes.' },
      optionOption,
      { ...jsonOption, description: `Print the plan as JSON (docs/show.schema.json). ${jsonErrorsNote}` },
    ],
  },
  async run(args) {
    const input = readEvalInput(args, { defaultFile: true });
    if (input.file !== undefined) refuseImageAsNix(input.file, args.positional[0] ?? input.file);
    const json = optFlag(args, 'json');
    const nix = applyNixOptions(args);
    const session = openSession(input, { progress: isTerminal('stderr') && !json, nix });
    // Errors, traces and warnings of evaluation name derivations by their real paths, as Nix's do (the plan writes `${pkgs.hello}`).
    const realPaths = showRealPaths(session.bridge);
    const plans = [];
    try {
      for (const image of selectImages(session, input)) {
        let plan = withChecks(planPortableService(image.spec, session.bridge));
        if (optFlag(args, 'closure')) {
          const realised = await realisePortableService(image.spec, session.bridge);
          const closure = await closureOf(realised);
          plan = { ...plan, closure };
        }
        plans.push(plan);
      }
    } catch (e) {
      throw realPaths.inError(e);
    } finally {
      realPaths.end();
    }
    io.stdout(json ? plans.map(showPlanToJSON).join('\n') + '\n' : plans.map((p) => renderShow(p, { color: colorFor('stdout') })).join('\n'));
    return 0;
  },
};

async function closureOf(input: Parameters<typeof imageClosure>[0]): Promise<ClosureEntry[]> {
  const { closure } = await imageClosure(input);
  return closureSizes(closure);
}
