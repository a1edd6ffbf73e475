/** Every tsportable command, in the order `--help` lists them. */
import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { evalCommand } from './eval.js';
import { gcCommand } from './gc.js';
import { inspectCommand } from './inspect.js';
import { lspCommand } from './lsp.js';
import { showCommand } from './show.js';

export const commands: readonly Command[] = [buildCommand, showCommand, inspectCommand, evalCommand, lspCommand, gcCommand];
