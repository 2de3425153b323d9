/** Where the CLI writes: results to stdout, human-facing notes to stderr; `--json` and `--quiet` shape both. */
export interface OutputOptions {
  /** Print machine-readable JSON on stdout instead of tables and text. */
  json?: boolean;
  /** No progress and no notes (results and errors are still printed). */
  quiet?: boolean;
  /** Defaults to process.stdout / process.stderr (tests pass their own). */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Where a command writes: results to stdout (JSON with `--json`), notes and progress to stderr (none with `--quiet`). */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };

  constructor(options: OutputOptions = {}) {
    this.json = options.json ?? false;
    this.quiet = options.quiet ?? false;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  /** Whether progress may draw bars (stderr is a terminal). */
  get tty(): boolean {
    return Boolean(this.stderr.isTTY);
  }

  /** A note for a person (stderr), unless `--quiet`. */
  note(line: string): void {
    if (!this.quiet) this.stderr.write(`${line}\n`);
  }

  /** A result line or block (stdout), for the human form only (ignored with `--json`). */
  print(text: string): void {
    if (!this.json) this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** The result as JSON on stdout (with `--json`). */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** JSON with `--json`, else the human text. */
  result(value: unknown, human: () => string): void {
    if (this.json) this.printJson(value);
    else this.print(human());
  }
}
