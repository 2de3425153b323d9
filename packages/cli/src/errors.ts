import { isTavtError, TavtError } from "@tavt/core";

/** Exit codes of the `tavt` command. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** Something failed that the user could not have prevented (a bug, an I/O failure). */
  failure: 1,
  /** A user error: bad input file, bad config, bad option. One line on stderr names it. */
  user: 2,
} as const;

/** An error with the shape of @tavt/metrics' input errors (`code: "BAD_INPUT"`), recognised across bundle copies. */
function isBadInputError(e: unknown): e is Error & { code: "BAD_INPUT" } {
  return e instanceof Error && (e as { code?: unknown }).code === "BAD_INPUT";
}

/**
 * True for errors the user caused: a TavtError (any code), an input error of @tavt/metrics, a usage error.
 *
 * @param e - Anything caught.
 * @returns Whether the user caused it (exit code 2) rather than a bug or an I/O failure (exit code 1).
 */
export function isUserError(e: unknown): e is Error {
  return isTavtError(e) || isBadInputError(e) || (e instanceof Error && e.name === "TavtError");
}

/**
 * The one line printed for an error: its message with newlines folded, never a stack trace.
 *
 * @param e - Anything caught.
 * @returns `tavt: <message>` on one line.
 */
export function errorLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return `tavt: ${message.replace(/\s*\n\s*/g, "; ").trim()}`;
}

/**
 * A usage error of the CLI itself (bad option value, missing option): a TavtError, so exit code 2.
 *
 * @param message - What was wrong, naming the option.
 * @param details - Structured context (`field`, ...).
 * @returns A `BAD_INPUT` TavtError, for the caller to throw.
 */
export function usageError(message: string, details: Record<string, unknown> = {}): TavtError {
  return new TavtError("BAD_INPUT", message, details);
}
