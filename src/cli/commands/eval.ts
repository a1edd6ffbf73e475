/** `tsportable eval`: evaluates a Nix file or expression as `nix-instantiate --eval` does. */
import { createEvaluator } from '../../eval/index.js';
import { printExpr } from '../../eval/syntax/print.js';
import { autoArgsMap, evalRoot } from '../autoArgs.js';
import { io, type Command } from '../command.js';
import { evalInputOptions, jsonOption, readEvalInput } from '../evalInput.js';
import { optFlag } from '../options.js';

export const evalCommand: Command = {
  spec: {
    name: 'eval',
    summary: 'Evaluate a Nix file or expression and print the result, as nix-instantiate --eval does.',
    positional: '[FILE]',
    maxPositional: 1,
    description: [
      'FILE defaults to ./default.nix. A top-level function is called only when --arg/--argstr',
      'are given or an -A path goes through it; its defaults fill the other arguments.',
      'Paths in --arg expressions and -I entries are relative to the working directory.',
    ].join('\n'),
    options: [
      { long: '--expr', short: '-E', values: ['EXPR'], description: 'Evaluate EXPR instead of a file.' },
      ...evalInputOptions,
      { long: '--strict', description: 'Evaluate the result deeply (lists and attribute sets included).' },
      jsonOption,
      { long: '--parse', description: 'Only parse: print the expression as nix-instantiate --parse does.' },
    ],
  },
  async run(args) {
    const input = readEvalInput(args, { defaultFile: true });
    const ev = createEvaluator({ searchPath: input.searchPath, cwd: input.cwd });
    if (optFlag(args, 'parse')) {
      const expr = input.file !== undefined ? ev.parseFile(input.file) : ev.parse(input.expr!, '«string»', input.cwd);
      io.stdout(printExpr(expr) + '\n');
      return 0;
    }
    const root = evalRoot(ev, input);
    const autoArgs = autoArgsMap(ev, input);
    const json = optFlag(args, 'json');
    const strict = optFlag(args, 'strict');
    for (const attrPath of input.attrPaths.length ? input.attrPaths : ['']) {
      let v = attrPath === '' ? root : ev.selectAttrPath(root, attrPath, autoArgs);
      if (autoArgs.size > 0) v = ev.autoCall(v, autoArgs);
      io.stdout((json ? ev.toJSON(v) : ev.printValue(v, { strict })) + '\n');
    }
    return 0;
  },
};

