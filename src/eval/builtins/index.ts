/**
 * Registers every builtin by importing the files that declare them (the
 * order does not matter: a placeholder never replaces a real declaration).
 * Adding a family: one import line here.
 */
import './core.js';
import './types.js';
import './math.js';
import './strings.js';
import './lists.js';
import './attrs.js';
import './closure.js';
import './control.js';
import './regex.js';
import './versions.js';
import './hash.js';
import './json.js';
import './toml.js';
import './context.js';
import './fs.js';
import './system.js';
import './xml.js';
import './store.js';
import './derivations.js';
import './flakeRefs.js';
