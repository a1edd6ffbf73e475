/** `tsportable inspect IMAGE.raw`: reads a built image offline and checks it against systemd's rules. */
import { resolve } from 'node:path';
import { imageFileOf } from '../../inspect/imageFile.js';
import { inspectExitCode, inspectImage, inspectReportToJSON, renderInspect } from '../../inspect/index.js';
import { colorFor } from '../color.js';
import { io, type Command } from '../command.js';
import { jsonErrorsNote, jsonOption } from '../evalInput.js';
import { optFlag, usageError } from '../options.js';
import { applyNixOptions, optionOption } from '../nixOptions.js';

export const inspectCommand: Command = {
  spec: {
    name: 'inspect',
    jsonErrors: true,
    summary: 'Show what is inside a portable-service image and check it, without root or systemd.',
    positional: 'IMAGE.raw | DIR',
    maxPositional: 1,
    description: [
      'Reads the image with unsquashfs and prints its superblock (compression, block size, creation',
      'time), os-release, units, symlinks and store paths with sizes. Then it checks what',
      '`portablectl attach` needs: the .raw name, unit names matching the image prefix, os-release',
      'with ID=, the mount points, every Exec*= program present and executable in the image, and a',
      'complete closure, and that its programs can start inside it (ELF interpreters and libraries,',
      '#! interpreters). A directory holding one .raw (a `result` link) names that image.',
      'Exits 1 when an error-level check fails.',
    ].join('\n'),
    options: [{ ...jsonOption, description: `Print the report as JSON. ${jsonErrorsNote}` }, optionOption],
  },
  async run(args) {
    // Accepted as by every command; inspect runs no Nix and evaluates nothing.
    applyNixOptions(args);
    const [image] = args.positional;
    if (image === undefined) throw usageError('inspect: which image? (tsportable inspect IMAGE.raw)');
    const report = await inspectImage(imageFileOf(resolve(image), image));
    io.stdout(optFlag(args, 'json') ? inspectReportToJSON(report) + '\n' : renderInspect(report, { color: colorFor('stdout') }));
    return inspectExitCode(report);
  },
};
