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

  /**
   * An output with the `--json` and `--quiet` settings and the streams to write to.
   *
   * @param options - `json`, `quiet`, and the `stdout` and `stderr` streams (the process's by default).
   */
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

  /**
   * A note for a person (stderr), unless `--quiet`.
   *
   * @param line - The note.
   */
  note(line: string): void {
    if (!this.quiet) this.stderr.write(`${line}\n`);
  }

  /**
   * A result line or block (stdout), for the human form only (ignored with `--json`).
   *
   * @param text - The text (a newline is added when it lacks one).
   */
  print(text: string): void {
    if (!this.json) this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /**
   * The result as JSON on stdout (with `--json`).
   *
   * @param value - Any JSON-serialisable value (printed with two-space indentation).
   */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * JSON with `--json`, else the human text.
   *
   * @param value - The result as JSON (with `--json`).
   * @param human - Makes the human-readable text (otherwise).
   */
  result(value: unknown, human: () => string): void {
    if (this.json) this.printJson(value);
    else this.print(human());
  }
}
