/**
 * Nix's build output, as a build command shows it: every line nix-store
 * prints (what will be built and fetched, `building '...'`, the builders'
 * own output), in order, and a one-line summary of where realisation stands
 * that a terminal redraws: how many of the derivations to build and of the
 * paths to fetch have been started, and which one came last.
 *
 * Everything comes from nix-store's own lines (the legacy commands' plain
 * log, which is what they print when stderr is not a terminal):
 * `these 3 derivations will be built:` / `this derivation will be built:`,
 * `these 2 paths will be fetched (...)` / `this path will be fetched (...)`,
 * `building '/nix/store/…drv'...`, `copying path '/nix/store/…' from '…'...`.
 * Nix's error block (`error:` and its indented lines) is not shown: the
 * command reports the error itself, with its place in the user's file.
 */

/** Where a command shows what Nix is doing (the CLI's progress lines on stderr). */
export interface NixOutput {
  /** A line of Nix's output, shown as it is. */
  line(text: string): void;
  /** Where things stand, redrawn in place on a terminal; undefined clears it. */
  status(text: string | undefined): void;
}

export class NixBuildLog {
  private toBuild = 0;
  private toFetch = 0;
  private built = 0;
  private fetched = 0;
  private last: string | undefined;
  private inError = false;

  constructor(private readonly output: NixOutput) {}

  /** One line of nix-store's stderr. */
  push(line: string): void {
    if (line.startsWith('error:')) {
      this.inError = true;
      return;
    }
    if (this.inError && /^\s/.test(line)) return;
    this.inError = false;
    let m: RegExpExecArray | null;
    if ((m = /^these (\d+) derivations will be built:/.exec(line))) this.toBuild += Number(m[1]);
    else if (line.startsWith('this derivation will be built:')) this.toBuild += 1;
    else if ((m = /^these (\d+) paths will be fetched/.exec(line))) this.toFetch += Number(m[1]);
    else if (line.startsWith('this path will be fetched')) this.toFetch += 1;
    else if ((m = /^building '([^']+)'/.exec(line))) {
      this.built++;
      this.last = displayName(m[1]!);
    } else if ((m = /^copying path '([^']+)' from /.exec(line))) {
      this.fetched++;
      this.last = displayName(m[1]!);
    }
    this.output.status(this.summary());
    this.output.line(line);
  }

  /** `building 2/3, fetching 5/5: hello-2.12` */
  summary(): string | undefined {
    const parts: string[] = [];
    if (this.toBuild > 0) parts.push(`building ${this.built}/${this.toBuild}`);
    if (this.toFetch > 0) parts.push(`fetching ${this.fetched}/${this.toFetch}`);
    if (parts.length === 0) return undefined;
    return `${parts.join(', ')}${this.last ? `: ${this.last}` : ''}`;
  }
}

/** `/nix/store/<hash>-hello-2.12.drv` is `hello-2.12`. */
function displayName(storePath: string): string {
  return storePath.replace(/^.*\/[0-9a-z]{32}-/, '').replace(/\.drv$/, '');
}
