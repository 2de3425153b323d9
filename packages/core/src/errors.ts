/** Stable machine-readable error codes; the CLI maps `TavtError`s to exit code 2 (user error). */
export type TavtErrorCode =
  | "SHAPE_MISMATCH"
  | "BAD_CONFIG"
  | "BAD_INPUT"
  | "BAD_FILE"
  | "CHECKPOINT_CORRUPT"
  | "CHECKPOINT_MISMATCH"
  | "BACKEND_UNAVAILABLE"
  | "NOT_FOUND"
  /** Training produced a non-finite loss or gradient (learning rates too high for the model). */
  | "DIVERGED";

/** An error a user can act on: it names what was wrong and carries a stable `code`. */
export class TavtError extends Error {
  readonly code: TavtErrorCode;
  /** Optional structured context (file, field, id, ...). */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * A TavtError with a code, a message naming what was wrong, and structured details.
   *
   * @param code - The stable machine-readable code.
   * @param message - One line a user can act on (the file, field or id, what was expected).
   * @param details - Structured context (`file`, `field`, `id`, ...).
   */
  constructor(code: TavtErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "TavtError";
    this.code = code;
    this.details = details;
  }
}

/**
 * True for errors the user caused (bad file, bad config); the CLI exits 2 on these.
 *
 * @param e - Anything caught.
 * @returns Whether `e` is a {@link TavtError}.
 * @example
 * ```ts
 * try { loadCheckpoint("model.safetensors"); } catch (e) { if (isTavtError(e)) console.error(e.code, e.message); }
 * ```
 */
export function isTavtError(e: unknown): e is TavtError {
  return e instanceof TavtError;
}
