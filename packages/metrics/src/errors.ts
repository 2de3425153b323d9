/**
 * An error the user caused with their inputs (malformed JSON, a candidate without references, a non-string
 * caption, ...). `code` is always "BAD_INPUT"; the message names the file (when known) and the id, so a CLI can
 * print it as one line and exit with code 2. Same shape as @tavt/core's TavtError, without depending on it.
 */
export class MetricsInputError extends Error {
  readonly code = "BAD_INPUT" as const;
  /** Structured context: `file`, `id`, `field` where they apply. */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * A BAD_INPUT error with a message and structured details.
   *
   * @param message - One line naming the file (when known), the id and what was wrong.
   * @param details - Structured context (`file`, `id`, `field`).
   */
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "MetricsInputError";
    this.details = details;
  }
}

/**
 * True for MetricsInputError (also across bundle copies: checks the name and code).
 *
 * @param e - Anything caught.
 * @returns Whether `e` is a MetricsInputError, or an Error named "MetricsInputError" with code "BAD_INPUT".
 */
export function isMetricsInputError(e: unknown): e is MetricsInputError {
  return (
    e instanceof MetricsInputError ||
    (e instanceof Error && e.name === "MetricsInputError" && (e as { code?: unknown }).code === "BAD_INPUT")
  );
}
