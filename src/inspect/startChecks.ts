/**
 * Whether the programs of an image can start inside it: what the kernel and
 * the dynamic loader will look for once systemd has made the image the
 * service's root, found statically, without running anything.
 *
 * From each program a unit runs (and each executable a root symlink or a
 * root of the image's store leads to), the walk follows what `execve` follows:
 * a script's `#!` interpreter (itself a program, checked the same way), an
 * ELF program's interpreter (`PT_INTERP`), and its libraries, loaded as
 * glibc's loader loads them: breadth first, each `DT_NEEDED` name taken from
 * the objects already loaded when one has that name, else looked for in the
 * object's `DT_RUNPATH` (or, without one, the `DT_RPATH` of the object and of
 * those that loaded it), then in the default directories. `$ORIGIN` is the
 * object's directory. A library of another ELF class or machine is passed
 * over, as the loader does.
 *
 * The default directories are those of a loader that lives in the image:
 * nixpkgs' glibc searches its own `lib` directory (where its loader is), a
 * distribution's loader `/lib`, `/usr/lib` and their 64-bit and multiarch
 * forms. `/etc/ld.so.cache` and `LD_LIBRARY_PATH` are not consulted.
 *
 * Everything is resolved inside the image's root, never the host's.
 */
import type { ElfInfo } from './elf.js';
import type { FileKind } from './fileKinds.js';
import type { Finding, InspectedUnit } from './report.js';
import { commandSearchPath, mountPoints } from './rules.js';
import { isExecutable, parentOf, resolveInImage, type ImageEntry, type ImageTree } from './tree.js';

export interface StartCheckInput {
  readonly tree: ImageTree;
  /** The kind of a file entry of the image. */
  kindOf(entry: ImageEntry): FileKind;
  readonly units: readonly InspectedUnit[];
  /** Store paths nothing else in the image refers to: their `bin` and `sbin` hold programs someone will run. */
  readonly roots: readonly string[];
}

export interface StartCheckResult {
  readonly findings: Finding[];
  /** ELF files the walk needed whose loader data was not kept: read them whole and walk again. */
  readonly incomplete: readonly ImageEntry[];
}

const enum Limits {
  /** Linux follows at most this many nested `#!` interpreters. */
  InterpreterDepth = 5,
  /** Programs looked at under one root symlink or store root: a bound on the work, far above real images. */
  ProgramsPerDirectory = 4096,
}

/** Directories where a distribution's loader looks by default (multiarch ones are found in the image). */
const defaultLibraryDirs = ['/lib', '/usr/lib', '/lib64', '/usr/lib64'] as const;

function childOf(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

class StartChecker {
  private readonly findings: Finding[] = [];
  private readonly reported = new Set<string>();
  private readonly checkedPrograms = new Set<string>();
  private readonly incomplete = new Map<string, ImageEntry>();
  private readonly children = new Map<string, string[]>();
  private readonly multiarchDirs: string[];

  constructor(private readonly input: StartCheckInput) {
    for (const path of input.tree.keys()) {
      if (path === '/') continue;
      const parent = parentOf(path);
      let list = this.children.get(parent);
      if (!list) this.children.set(parent, (list = []));
      list.push(path);
    }
    this.multiarchDirs = ['/lib', '/usr/lib']
      .flatMap((d) => this.children.get(d) ?? [])
      .filter((p) => /-linux-gnu/.test(p) && input.tree.get(p)?.kind === 'directory');
  }

  run(): StartCheckResult {
    // Symlinks a unit's program goes through and that lead nowhere: imageChecks.ts already says so.
    const reportedLinks = new Set<string>();
    for (const unit of this.input.units) {
      for (const command of unit.commands) {
        const program = command.program;
        if (program.replaceAll('%%', '').includes('%')) continue; // a specifier: only known when the unit runs
        const entry = this.findCommand(program.replaceAll('%%', '%'));
        if (entry) this.checkProgram(entry, `${command.directive}= of ${unit.name}`, 0, true);
        else if (program.startsWith('/')) {
          for (const step of resolveInImage(this.input.tree, program).via) reportedLinks.add(step.slice(0, step.indexOf(' -> ')));
        }
      }
    }
    for (const link of this.scaffoldSymlinks()) if (!reportedLinks.has(link.path)) this.checkSymlink(link);
    for (const root of this.input.roots) this.checkDirectoryPrograms(root, `${root}, which nothing in the image refers to (nixpkgs' contents)`);
    return { findings: this.findings, incomplete: [...this.incomplete.values()] };
  }

  private add(key: string, finding: Finding): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push(finding);
  }

  /** A command's program as systemd finds it (missing ones are reported by imageChecks.ts). */
  private findCommand(program: string): ImageEntry | undefined {
    const candidates = program.startsWith('/') ? [program] : commandSearchPath.map((d) => `${d}/${program}`);
    for (const path of candidates) {
      const r = resolveInImage(this.input.tree, path);
      if (r.ok && isExecutable(r.entry)) return r.entry;
    }
    return undefined;
  }

  private *scaffoldSymlinks(): Iterable<ImageEntry> {
    for (const e of this.input.tree.values()) {
      if (e.kind === 'symlink' && e.path !== '/nix' && !e.path.startsWith('/nix/')) yield e;
    }
  }

  /** A symlink outside the store must lead somewhere; what it leads to is checked like a program. */
  private checkSymlink(link: ImageEntry): void {
    const r = resolveInImage(this.input.tree, link.path);
    if (!r.ok) {
      // A link into a mount point (resolv.conf -> /run/...) is filled when the service runs.
      const intoMount = mountPoints.some((m) => r.at === m || r.at.startsWith(`${m}/`));
      if (r.reason === 'missing' && intoMount) return;
      const why = r.reason === 'loop' ? 'leads into a symlink loop' : r.reason === 'not-a-directory' ? `goes through ${r.at}, which is not a directory` : `${r.at} is not in the image`;
      this.add(`dangling:${link.path}`, {
        severity: 'warning', code: 'dangling-symlink', path: link.path,
        message: `symlink ${link.path} -> ${link.target ?? ''} points at nothing: ${why}`,
      });
      return;
    }
    const why = `the symlink ${link.path}`;
    if (r.entry.kind === 'directory') this.checkDirectoryPrograms(r.entry.path, why);
    else if (isExecutable(r.entry)) this.checkProgram(r.entry, why, 0, false);
  }

  /** The executables directly in `dir`, `dir/bin` and `dir/sbin`. */
  private checkDirectoryPrograms(dir: string, why: string): void {
    let count = 0;
    for (const sub of [dir, `${dir}/bin`, `${dir}/sbin`]) {
      const d = resolveInImage(this.input.tree, sub);
      if (!d.ok || d.entry.kind !== 'directory') continue;
      for (const child of this.children.get(d.entry.path) ?? []) {
        if (++count > Limits.ProgramsPerDirectory) return;
        const r = resolveInImage(this.input.tree, child);
        if (r.ok && isExecutable(r.entry)) this.checkProgram(r.entry, why, 0, false);
      }
    }
  }

  private kind(entry: ImageEntry): FileKind {
    const k = this.input.kindOf(entry);
    if (k.kind === 'elf-incomplete') this.incomplete.set(entry.path, entry);
    return k;
  }

  /**
   * One program as execve runs it. `strict`: it is run for sure (a unit's
   * command, an interpreter), so a file the kernel cannot run is an error.
   */
  private checkProgram(entry: ImageEntry, why: string, depth: number, strict: boolean): void {
    const key = `${entry.path}:${strict}`;
    if (this.checkedPrograms.has(key)) return;
    this.checkedPrograms.add(key);
    const k = this.kind(entry);
    switch (k.kind) {
      case 'script': return this.checkScript(entry, k.interpreter, k.argument, why, depth);
      case 'elf': return this.checkElfProgram(entry, k.info, why);
      case 'elf-malformed':
        return this.add(`malformed:${entry.path}`, {
          severity: 'warning', code: 'elf-unreadable', path: entry.path,
          message: `${entry.path} cannot be read as an ELF file (${k.reason}); not checked further (run by ${why})`,
        });
      case 'elf-incomplete': return; // read whole, then walked again
      case 'other':
        if (!strict) return;
        return this.add(`format:${entry.path}`, {
          severity: 'error', code: 'exec-format', path: entry.path,
          message: `${entry.path} is neither an ELF program nor a script starting with #!: the kernel cannot run it (run by ${why})`,
        });
    }
  }

  private checkScript(entry: ImageEntry, interpreter: string, argument: string | undefined, why: string, depth: number): void {
    const script = entry.path;
    const path = interpreter.startsWith('/') ? interpreter : `/${interpreter}`;
    const r = resolveInImage(this.input.tree, path);
    const missing = (detail: string) => this.add(`script:${script}`, {
      severity: 'error', code: 'script-interpreter-missing', path: script,
      message: `${script} is a script for ${interpreter}, which ${detail} (run by ${why})`,
    });
    if (!r.ok) {
      const via = r.via.length > 0 ? ` (through ${r.via.join(', ')})` : '';
      return missing(r.reason === 'loop' ? `leads into a symlink loop${via}` : `is not in the image${r.at === path ? '' : `: ${r.at} is missing`}${via}`);
    }
    if (!isExecutable(r.entry)) return missing(r.entry.kind === 'directory' ? 'is a directory' : 'is not executable');
    if (depth + 1 >= Limits.InterpreterDepth) return;
    const interpreterWhy = `${script}'s #!`;
    this.checkProgram(r.entry, interpreterWhy, depth + 1, true);
    // `#!/usr/bin/env name`: env runs `name` from PATH, which inside the image is systemd's default.
    if ((basename(interpreter) === 'env' || basename(r.entry.path) === 'env') && argument !== undefined && !argument.startsWith('-') && !argument.includes('/')) {
      const name = argument.split(/\s+/)[0]!;
      const found = this.findCommand(name);
      if (found) this.checkProgram(found, interpreterWhy, depth + 1, true);
      else {
        this.add(`env:${script}`, {
          severity: 'warning', code: 'script-env-program-missing', path: script,
          message: `${script} runs '${name}' through ${interpreter}, and no '${name}' is in ${commandSearchPath.join(', ')} inside the image (systemd's PATH) (run by ${why})`,
        });
      }
    }
  }

  private checkElfProgram(entry: ImageEntry, info: ElfInfo, why: string): void {
    const loaded = new Map<string, string>();
    const defaults = [...this.multiarchDirs, ...defaultLibraryDirs];
    if (info.interpreter !== undefined) {
      const r = resolveInImage(this.input.tree, info.interpreter);
      // The loader is loaded first, under its own name (libc needs it by that name).
      loaded.set(basename(info.interpreter), info.interpreter);
      if (!r.ok || r.entry.kind !== 'file') {
        const detail = r.ok ? `is a ${r.entry.kind}` : `is not in the image${r.at === info.interpreter ? '' : ` (${r.at} is missing)`}`;
        this.add(`interp:${entry.path}`, {
          severity: 'error', code: 'elf-interpreter-missing', path: entry.path,
          message: `${entry.path} needs the ELF interpreter ${info.interpreter}, which ${detail} (run by ${why})`,
        });
      } else {
        // It searches its own directory by default.
        const k = this.kind(r.entry);
        if (k.kind === 'elf' && k.info.soname) loaded.set(k.info.soname, r.entry.path);
        defaults.unshift(parentOf(r.entry.path));
      }
    }
    this.loadLibraries(entry, info, defaults, loaded);
  }

  /** glibc's breadth-first loading of every library the program needs. */
  private loadLibraries(program: ImageEntry, info: ElfInfo, defaults: readonly string[], loaded: Map<string, string>): void {
    interface Loaded { path: string; origin: string; info: ElfInfo; rpaths: readonly string[] }
    const queue: Loaded[] = [{ path: program.path, origin: parentOf(program.path), info, rpaths: [] }];
    for (let i = 0; i < queue.length; i++) {
      const object = queue[i]!;
      // Without a RUNPATH of its own, an object is also searched for in the RPATHs of those that loaded it.
      const ownRpath = object.info.runpath === undefined && object.info.rpath !== undefined ? expand(object.info.rpath, object.origin) : [];
      const rpaths = object.info.runpath === undefined ? [...ownRpath, ...object.rpaths] : [];
      for (const name of object.info.needed) {
        if (loaded.has(name)) continue;
        const dirs = name.includes('/') ? [] : [
          ...rpaths,
          ...(object.info.runpath !== undefined ? expand(object.info.runpath, object.origin) : []),
          ...defaults,
        ];
        const found = name.includes('/') ? this.libraryAt(name.startsWith('/') ? name : `/${name}`, info) : this.findLibrary(name, dirs, info);
        if (!found) {
          const searched = object.info.runpath !== undefined ? `its RUNPATH (${object.info.runpath}) nor in `
            : rpaths.length > 0 ? `the RPATH (${rpaths.join(':')}) nor in ` : '';
          const loadedFor = object.path === program.path ? '' : ` (loaded for ${program.path})`;
          this.add(`lib:${object.path}:${name}`, {
            severity: 'error', code: 'elf-library-missing', path: object.path,
            message: `${object.path} needs the library ${name}, which is not in ${searched}the default library directories inside the image${loadedFor}`,
          });
          continue;
        }
        loaded.set(name, found.path);
        if (found.info.soname) loaded.set(found.info.soname, found.path);
        queue.push({ path: found.path, origin: parentOf(found.lookedUp), info: found.info, rpaths: object.info.runpath === undefined ? rpaths : [] });
      }
    }
  }

  private findLibrary(name: string, dirs: readonly string[], program: ElfInfo): { path: string; lookedUp: string; info: ElfInfo } | undefined {
    for (const dir of dirs) {
      const found = this.libraryAt(childOf(dir, name), program);
      if (found) return found;
    }
    return undefined;
  }

  /** The library at `path` if it is one the loader would take for this program (same class and machine). */
  private libraryAt(path: string, program: ElfInfo): { path: string; lookedUp: string; info: ElfInfo } | undefined {
    const r = resolveInImage(this.input.tree, path);
    if (!r.ok || r.entry.kind !== 'file') return undefined;
    const k = this.kind(r.entry);
    if (k.kind === 'elf-incomplete') return { path: r.entry.path, lookedUp: path, info: { ...program, needed: [] } };
    if (k.kind !== 'elf' || k.info.bits !== program.bits || k.info.machine !== program.machine) return undefined;
    return { path: r.entry.path, lookedUp: path, info: k.info };
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A RUNPATH/RPATH's directories, `$ORIGIN` replaced; relative ones are relative to `/`, the service's directory. */
function expand(searchPath: string, origin: string): string[] {
  return searchPath.split(':').filter((d) => d !== '').flatMap((d) => {
    const dir = d.replace(/\$(\{ORIGIN\}|ORIGIN)/g, origin);
    if (dir.includes('$')) return []; // $LIB, $PLATFORM: not modelled; such a directory is not searched
    return [dir.startsWith('/') ? dir : `/${dir}`];
  });
}

/** The start checks of an image. */
export function checkStart(input: StartCheckInput): StartCheckResult {
  return new StartChecker(input).run();
}
